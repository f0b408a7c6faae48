/**
 * The clauses of the Kubernetes packaging and operational contract (the seed document
 * "Kubernetes Packaging and Operational Contract"), each with a stable id and the contract's own
 * words, and the obligations the pinned server and Kubernetes add to them. Every layer that
 * enforces a clause answers to this list: test/unit/clauses.test.ts fails when a clause has no
 * row in its table or a row names a clause that is not here.
 *
 * Left out, as not normative: the tuning guidance other than cache alignment ("Increase memory
 * before CPU", "Keep request CPU high enough", "Tune concurrency caps together with HPA
 * targets"), the node-local SSD measurement workflow, and the cross-references (compatibility
 * note, see-also).
 */

export interface Clause {
  readonly id: string;
  /** The heading of the contract the clause is under. */
  readonly section: string;
  /** The contract's words. */
  readonly text: string;
}

export const contractClauses = [
  // Container Image
  { id: "image.multi-stage", section: "Container Image", text: "Dockerfile uses a reproducible multi-stage build." },
  { id: "image.locked-build", section: "Container Image", text: "Build stage runs `cargo build --locked --release -p bijux-atlas-server`." },
  { id: "image.distroless", section: "Container Image", text: "Runtime stage is distroless (`gcr.io/distroless/cc-debian12:nonroot`)." },
  { id: "image.non-root-immutable", section: "Container Image", text: "Runtime user is non-root and immutable by default." },
  { id: "image.runtime-command", section: "Container Image", text: "Runtime command follows plugin-mode contract (`/app/bijux-atlas atlas serve`)." },

  // Helm Chart Surface: included resources
  { id: "chart.deployment", section: "Helm Chart Surface", text: "`Deployment`" },
  { id: "chart.service", section: "Helm Chart Surface", text: "`Service`" },
  { id: "chart.hpa", section: "Helm Chart Surface", text: "`HorizontalPodAutoscaler` (CPU + custom metrics)" },
  { id: "chart.pdb", section: "Helm Chart Surface", text: "`PodDisruptionBudget`" },
  { id: "chart.servicemonitor", section: "Helm Chart Surface", text: "`ServiceMonitor`" },
  { id: "chart.networkpolicy", section: "Helm Chart Surface", text: "`NetworkPolicy`" },
  { id: "chart.configmap-secret", section: "Helm Chart Surface", text: "`ConfigMap` and optional `Secret`" },
  { id: "chart.rollout", section: "Helm Chart Surface", text: "Optional `Rollout` (Argo)" },
  { id: "chart.catalog-publish-job", section: "Helm Chart Surface", text: "Optional `Job` template for catalog publish" },

  // Security Defaults
  { id: "security.run-as-non-root", section: "Security Defaults", text: "`runAsNonRoot: true`" },
  { id: "security.read-only-root", section: "Security Defaults", text: "`readOnlyRootFilesystem: true`" },
  { id: "security.no-privilege-escalation", section: "Security Defaults", text: "`allowPrivilegeEscalation: false`" },
  { id: "security.drop-all-capabilities", section: "Security Defaults", text: "Linux capabilities dropped (`ALL`)" },

  // Security Defaults: filesystem strategy
  { id: "filesystem.read-only-root", section: "Filesystem strategy", text: "Read-only root filesystem." },
  { id: "filesystem.writable-mounts", section: "Filesystem strategy", text: "Explicit writable mounts only for `/cache` and `/tmp` via `emptyDir`." },
  { id: "filesystem.emptydir-limits", section: "Filesystem strategy", text: "`emptyDir` limits are explicit for both cache and tmp volumes." },
  {
    id: "filesystem.ephemeral-storage",
    section: "Filesystem strategy",
    text: "Pod requests/limits include `ephemeral-storage` to align kubelet eviction behavior with atlas cache policy.",
  },

  // Network Policy
  { id: "network.deny-egress-default", section: "Network Policy", text: "Default behavior is deny egress except explicit rules" },
  { id: "network.dns-kube-system", section: "Network Policy", text: "Optional DNS egress to kube-system." },
  { id: "network.egress-allowlist", section: "Network Policy", text: "Explicit egress CIDR allowlist for catalog/store endpoints." },
  { id: "network.no-broad-egress", section: "Network Policy", text: "No broad egress permit is included in default values." },

  // Requests/Limits and Tuning
  { id: "resources.default-requests", section: "Requests/Limits and Tuning", text: "Request: `500m` CPU, `512Mi` memory." },
  { id: "resources.default-limits", section: "Requests/Limits and Tuning", text: "Limit: `2000m` CPU, `2Gi` memory." },
  { id: "resources.align-cache", section: "Requests/Limits and Tuning", text: "Align `cache.diskSize` and `cache.maxDiskBytes` with node ephemeral storage quotas." },

  // Probe Semantics
  { id: "probes.startup", section: "Probe Semantics", text: "`startupProbe`: `/readyz` with long failure budget for cold starts and cache warmup." },
  {
    id: "probes.readiness",
    section: "Probe Semantics",
    text: "`readinessProbe`: `/readyz`; pod must be removed from service endpoints if catalog is unavailable or server loop is unhealthy.",
  },
  { id: "probes.liveness", section: "Probe Semantics", text: "`livenessProbe`: `/healthz`; used only to restart wedged processes." },

  // Probe Semantics: readiness contract for production
  { id: "readiness.loop-healthy", section: "Readiness contract", text: "Ready only when process loop is healthy." },
  { id: "readiness.catalog-reachable", section: "Readiness contract", text: "Ready only when catalog is reachable, unless `cached-only` mode is explicitly enabled." },

  // Node-Local SSD Profile
  { id: "ssd.cache-on-local-ssd", section: "Node-Local SSD Profile", text: "Mount `/cache` on node-local SSD (`local PV` or host-backed fast storage)." },
  { id: "ssd.tmp-bounded", section: "Node-Local SSD Profile", text: "Keep `/tmp` on bounded `emptyDir`." },
  { id: "ssd.warmup-jitter", section: "Node-Local SSD Profile", text: "Use startup warmup jitter to avoid synchronized store fetches." },

  // Init Prewarm
  { id: "prewarm.values", section: "Init Prewarm", text: "Optional init container prewarm is exposed in values: `cache.initPrewarm.enabled`, `cache.pinnedDatasets`" },
  { id: "prewarm.before-main", section: "Init Prewarm", text: "Pull pinned/hot datasets before the main container starts." },
  { id: "warmup-job.values", section: "Init Prewarm", text: "Optional warm-up job template: `datasetWarmupJob.enabled`" },
  { id: "warmup-job.smoke", section: "Init Prewarm", text: "Runs `atlas smoke` for configured pinned datasets." },

  // Config and Secret Wiring
  { id: "config.configmap", section: "Config and Secret Wiring", text: "`ConfigMap` stores non-secret runtime config." },
  { id: "config.secret-credentials", section: "Config and Secret Wiring", text: "`Secret` stores store credentials (`ATLAS_STORE_ACCESS_KEY`, `ATLAS_STORE_SECRET_KEY`)." },
  {
    id: "config.sequence-knobs",
    section: "Config and Secret Wiring",
    text: "Sequence-specific knobs in chart values/config map: `ATLAS_MAX_SEQUENCE_BASES`, `ATLAS_SEQUENCE_API_KEY_REQUIRED_BASES`, `ATLAS_SEQUENCE_TTL_MS`, `ATLAS_SEQUENCE_RATE_LIMIT_CAPACITY`, `ATLAS_SEQUENCE_RATE_LIMIT_REFILL_PER_SEC`",
  },

  // HPA Strategy
  { id: "hpa.cpu", section: "HPA Strategy", text: "CPU utilization target." },
  { id: "hpa.latency-p95", section: "HPA Strategy", text: "p95 latency custom metric (`bijux_http_request_latency_p95_seconds`)." },
  { id: "hpa.inflight-heavy", section: "HPA Strategy", text: "in-flight heavy query custom metric (`bijux_inflight_heavy_queries`)." },
  { id: "hpa.metrics-adapter", section: "HPA Strategy", text: "This requires a custom metrics adapter wired from Prometheus." },

  // Canary Rollout
  { id: "rollout.optional", section: "Canary Rollout", text: "The chart supports optional Argo Rollouts resource behind `rollout.enabled`." },
  { id: "rollout.steps-in-values", section: "Canary Rollout", text: "Progressive steps are configured in `values.yaml`." },
  { id: "rollout.requires-argo", section: "Canary Rollout", text: "Use only when Argo Rollouts CRDs and controller are installed." },

  // Catalog Publish Job Template
  { id: "catalog-publish.template", section: "Catalog Publish Job Template", text: "`catalog-publish-job.yaml` is a template for ingestion/publish operations." },
  { id: "catalog-publish.controlled", section: "Catalog Publish Job Template", text: "Intended for controlled publish pipelines. Not intended for per-request execution." },

  // Offline Deployment Profile
  { id: "offline.cached-only", section: "Offline Deployment Profile", text: "`values-offline.yaml` enables cached-only serving mode." },
  { id: "offline.no-store-access", section: "Offline Deployment Profile", text: "No external store access required at runtime." },
  { id: "offline.tight-network", section: "Offline Deployment Profile", text: "Tightened network policy." },
  { id: "offline.optional-warmup", section: "Offline Deployment Profile", text: "Optional warmup for pinned datasets." },
] as const satisfies readonly Clause[];

export interface DerivedClause extends Clause {
  /** The contract clause it serves. */
  readonly serves: ContractClauseId;
}

/**
 * Obligations the contract's clauses take on from the pinned server (where the two disagree the
 * server wins: its env names, dataset ids and drain) and from Kubernetes, each tied to the clause
 * it serves.
 */
export const derivedClauses = [
  { id: "server.env-allowlist", section: "Pinned server", serves: "config.configmap", text: "Runtime config uses only the env names of the pinned server's env contract (it refuses unknown `ATLAS_*` names at start)." },
  { id: "server.dataset-ids", section: "Pinned server", serves: "prewarm.values", text: "Pinned dataset ids are the server's `release/species/assembly`." },
  { id: "server.drain-within-grace", section: "Pinned server", serves: "probes.readiness", text: "The server's shutdown drain ends before `terminationGracePeriodSeconds`, so a pod leaves the endpoints and finishes its work before it is killed." },
  { id: "kubernetes.requests-within-limits", section: "Kubernetes", serves: "resources.default-requests", text: "Requests are at most the limits." },
  { id: "kubernetes.hpa-bounds", section: "Kubernetes", serves: "chart.hpa", text: "The HPA's `minReplicas` is at most its `maxReplicas`." },
  { id: "kubernetes.pdb-leaves-room", section: "Kubernetes", serves: "chart.pdb", text: "The PDB's `minAvailable` is below the replicas that may run, or node drains block forever." },
] as const satisfies readonly DerivedClause[];

export type ContractClauseId = (typeof contractClauses)[number]["id"];
export type ClauseId = ContractClauseId | (typeof derivedClauses)[number]["id"];

/** Every clause a layer answers to: the contract's and the derived ones. */
export const allClauses: readonly (Clause & { readonly serves?: ContractClauseId })[] = [...contractClauses, ...derivedClauses];
