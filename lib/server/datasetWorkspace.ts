/**
 * The workspace files `bijux-atlas dataset verify` and `dataset publish` read from their current
 * directory. The CLI resolves them relative to the working directory of its source repository,
 * and no published crate ships them, so a machine that installs the crates has to write its own.
 * These are the smallest that pass the CLI's own parsing and gates; nothing here loosens a gate
 * the server relies on (the published artifacts are checked against the manifest either way).
 */

/** Paths relative to the working directory, as the CLI 0.2.x spells them. */
export const workspaceFiles = {
  /** Read by `dataset verify` and `dataset publish` (QC gate). */
  qcThresholds: "configs/sources/operations/ops/dataset-qc-thresholds.v1.json",
  /** Read by `dataset publish` (publish gates); every field of the runtime's PolicyConfig is required. */
  policy: "configs/sources/governance/policy/policy.json",
  /** Read by `dataset publish` next to the policy; the CLI checks the policy's schema_version against it. */
  policySchema: "configs/sources/governance/policy/schemas/policy.schema.json",
} as const;

/**
 * QC thresholds: at least one gene, no duplicate gene ids, at most 5 % orphans, rejected records
 * or features on unknown contigs. The synthetic dataset has none of either.
 */
export const qcThresholds = {
  min_gene_count: 1,
  max_orphan_percent: 5.0,
  max_rejected_percent: 5.0,
  max_unknown_contig_feature_percent: 5.0,
  max_duplicate_gene_id_events: 0,
};

/** The schema document: the CLI only reads the const schema_version from it. */
export const policySchema = { properties: { schema_version: { const: "1" } } };

/**
 * The policy set (bijux-atlas-runtime's PolicyConfig, schema version 1). `publish` reads only
 * `publish_gates` (minimum gene count, missing parents, required sqlite indexes), but parses and
 * validates the whole document, so every section is present with the runtime's documented
 * defaults (the same figures the server's own defaults use: bulkheads 128/64/16, 8 datasets,
 * 8 GiB of cache).
 */
export const policy = {
  schema_version: "1",
  mode: "strict",
  allow_override: false,
  network_in_unit_tests: false,
  modes: {
    strict: { allow_override: false, max_page_size: 100, max_region_span: 10_000_000, max_response_bytes: 1_048_576 },
    compat: { allow_override: true, max_page_size: 200, max_region_span: 25_000_000, max_response_bytes: 2_097_152 },
    dev: { allow_override: false, max_page_size: 500, max_region_span: 50_000_000, max_response_bytes: 4_194_304 },
  },
  query_budget: {
    cheap: { max_limit: 100, max_region_span: 1_000_000, max_region_estimated_rows: 10_000, max_prefix_cost_units: 25_000 },
    medium: { max_limit: 100, max_region_span: 5_000_000, max_region_estimated_rows: 50_000, max_prefix_cost_units: 80_000 },
    heavy: { max_limit: 200, max_region_span: 10_000_000, max_region_estimated_rows: 100_000, max_prefix_cost_units: 120_000 },
    max_limit: 100,
    max_transcript_limit: 100,
    heavy_projection_limit: 200,
    max_prefix_length: 128,
    max_sequence_bases: 20_000,
    sequence_api_key_required_bases: 5_000,
  },
  response_budget: { cheap_max_bytes: 262_144, medium_max_bytes: 524_288, heavy_max_bytes: 1_048_576, max_serialization_bytes: 524_288 },
  cache_budget: { max_disk_bytes: 8_589_934_592, max_dataset_count: 8, pinned_datasets_max: 32, shard_count_policy_max: 512, max_open_shards_per_pod: 16 },
  store_resilience: { retry_budget: 20, retry_attempts: 4, retry_base_backoff_ms: 120, breaker_failure_threshold: 5, breaker_open_ms: 20_000 },
  rate_limit: { per_ip_rps: 100, per_api_key_rps: 500, sequence_per_ip_rps: 15 },
  concurrency_bulkheads: { cheap: 128, medium: 64, heavy: 16 },
  telemetry: {
    metrics_enabled: true,
    tracing_enabled: true,
    slow_query_log_enabled: true,
    request_id_required: true,
    required_metric_labels: ["subsystem", "version", "dataset"],
    trace_sampling_per_10k: 100,
  },
  publish_gates: { required_indexes: ["idx_gene_summary_gene_id"], min_gene_count: 1, max_missing_parents: 1000 },
  documented_defaults: [{ field: "query_budget.max_limit", reason: "default page-size guard" }],
};

/** The files, by path relative to the workspace, as JSON text. */
export function workspaceContents(): Record<string, string> {
  return {
    [workspaceFiles.qcThresholds]: JSON.stringify(qcThresholds) + "\n",
    [workspaceFiles.policy]: JSON.stringify(policy, null, 1) + "\n",
    [workspaceFiles.policySchema]: JSON.stringify(policySchema) + "\n",
  };
}
