/**
 * Each render's serving pod, as the real server sees it: `--validate-config` accepts the pod's
 * exact environment (ConfigMap, env and Secret keys resolved as the kubelet resolves them), and
 * `--print-effective-config` shows each chart value took effect: the server's view is compared
 * with the values the profile gives (values.yaml under the profile's values files, merged as helm
 * merges them), never with the rendered env, so a chart that maps a value wrongly fails here.
 */
import { strict as assert } from "assert";
import { run } from "../../lib/toolchain/process";
import { paths } from "../../contract/pod";
import { env } from "../../contract/env";
import { quantityValue } from "../../contract/quantity";
import { ContainerPlan, PodPlan } from "../../lib/server/pod/plan";
import { chartValue, objectsOf, planOf, renders, servingWorkload } from "./renders";
import { requireServerTier, scratchDir, ServerTier } from "./support";

interface EffectiveConfig {
  startup: { bind_addr: string; cache_root: string; store_root: string };
  cache: {
    disk_root: string;
    max_disk_bytes: number;
    cached_only_mode: boolean;
    pinned_datasets: { release: string; species: string; assembly: string }[];
    startup_warmup: { release: string; species: string; assembly: string }[];
    startup_warmup_jitter_max_ms: number;
  };
  api: {
    readiness_requires_catalog: boolean;
    max_sequence_bases: number;
    sequence_api_key_required_bases: number;
    sequence_ttl: { secs: number; nanos: number };
    sequence_rate_limit_per_ip: { capacity: number; refill_per_sec: number };
  };
  runtime: { shutdown_drain_ms: number };
  store: { mode: string; s3_base_url: string | null; allow_private_hosts: boolean };
}

const ids = (list: { release: string; species: string; assembly: string }[]) => list.map((d) => `${d.release}/${d.species}/${d.assembly}`).sort();

for (const r of renders) {
  describe(`bijux-atlas-server configuration of the ${r.name} ${r.source} render`, function () {
    let tier: ServerTier;
    let plan: PodPlan;
    let server: ContainerPlan;
    let validate: Awaited<ReturnType<typeof run>>;
    let effective: EffectiveConfig;
    const pinned = () => [...((chartValue(r, "cache.pinnedDatasets") as string[] | undefined) ?? [])].sort();

    before(async function () {
      tier = await requireServerTier(this);
      const objects = objectsOf(r);
      plan = planOf(objects, servingWorkload(objects), scratchDir(tier, "claims"));
      server = plan.main[0];
      validate = await run(tier.binaries.server, ["--validate-config"], { env: { ...server.env }, timeoutMs: 30_000 });
      // At warn level the server logs nothing before the JSON document.
      const printed = await run(tier.binaries.server, ["--print-effective-config"], { env: { ...server.env, [env.logLevel]: "warn" }, timeoutMs: 30_000 });
      assert.equal(printed.code, 0, `--print-effective-config exited ${printed.code}: ${printed.stderr}`);
      effective = JSON.parse(printed.stdout) as EffectiveConfig;
    });

    it("--validate-config accepts the pod's resolved environment", () => {
      assert.equal(validate.code, 0, `exit ${validate.code}: ${validate.stderr.trim()}`);
    });

    it("binds all addresses on the chart's server.port", () => {
      assert.equal(effective.startup.bind_addr, `0.0.0.0:${chartValue(r, "server.port")}`);
    });

    it("keeps its cache at the contract's cache path, the pod's cache mount", () => {
      assert.ok((server.spec.volumeMounts as { mountPath: string }[]).some((m) => m.mountPath === paths.cache), `no mount at ${paths.cache}`);
      assert.deepEqual([effective.startup.cache_root, effective.cache.disk_root], [paths.cache, paths.cache]);
    });

    it("caps the cache at the chart's cache.maxDiskBytes", () => {
      assert.equal(effective.cache.max_disk_bytes, chartValue(r, "cache.maxDiskBytes"));
    });

    it("caps the cache within the size of the pod's cache volume", () => {
      const mount = (server.spec.volumeMounts as { name: string; mountPath: string }[]).find((m) => m.mountPath === paths.cache)!;
      const vol = plan.selected.template.spec.volumes.find((v: any) => v.name === mount.name);
      const size = vol.emptyDir?.sizeLimit ?? vol.ephemeral?.volumeClaimTemplate?.spec?.resources?.requests?.storage;
      if (size !== undefined) assert.ok(effective.cache.max_disk_bytes <= quantityValue(size), `${effective.cache.max_disk_bytes} > ${size}`);
    });

    it("serves cached-only exactly when the chart's server.cachedOnlyMode says so, with readiness independent of the catalog then", () => {
      const cachedOnly = chartValue(r, "server.cachedOnlyMode") === true;
      assert.deepEqual([effective.cache.cached_only_mode, effective.api.readiness_requires_catalog], [cachedOnly, !cachedOnly]);
    });

    it("pins every dataset of the chart's cache.pinnedDatasets (none dropped as malformed)", () => {
      assert.deepEqual(ids(effective.cache.pinned_datasets), pinned());
    });

    it("warms up the chart's pinned datasets at start exactly when cache.initPrewarm.enabled", () => {
      const warm = chartValue(r, "cache.initPrewarm.enabled") === true;
      assert.deepEqual(ids(effective.cache.startup_warmup), warm ? pinned() : []);
    });

    it("spreads start-ups by the chart's cache.warmupJitterSeconds", () => {
      assert.equal(effective.cache.startup_warmup_jitter_max_ms, Number(chartValue(r, "cache.warmupJitterSeconds")) * 1000);
    });

    it("applies the chart's server.sequence limits, TTL and rate limit", () => {
      const e = effective.api;
      assert.deepEqual(
        {
          maxBases: e.max_sequence_bases,
          apiKeyRequiredBases: e.sequence_api_key_required_bases,
          ttlMs: e.sequence_ttl.secs * 1000 + e.sequence_ttl.nanos / 1e6,
          rateLimitCapacity: e.sequence_rate_limit_per_ip.capacity,
          rateLimitRefillPerSec: e.sequence_rate_limit_per_ip.refill_per_sec,
        },
        chartValue(r, "server.sequence"),
      );
    });

    it("reads its store where the chart points it (the HTTP store's base URL, else the /store mount)", () => {
      const url = (chartValue(r, "store.url") as string | undefined) || undefined;
      assert.deepEqual(
        { mode: effective.store.mode, url: effective.store.s3_base_url, root: effective.startup.store_root },
        { mode: url ? "S3" : "Local", url: url ?? null, root: paths.store },
      );
    });

    it("drains for the chart's server.shutdownDrainSeconds", () => {
      assert.equal(effective.runtime.shutdown_drain_ms, Number(chartValue(r, "server.shutdownDrainSeconds")) * 1000);
    });

    it("drains in less time than the chart's server.terminationGracePeriodSeconds", () => {
      const graceMs = Number(chartValue(r, "server.terminationGracePeriodSeconds")) * 1000;
      assert.ok(effective.runtime.shutdown_drain_ms < graceMs, `drain ${effective.runtime.shutdown_drain_ms} ms >= grace ${graceMs} ms`);
    });
  });
}
