/**
 * Rules across chart values that a per-key schema cannot state: what the server would refuse
 * or never get ready with, and the pod's storage budget. The stack config runs them on the chart
 * values it builds (so a bad stack fails before anything is declared); the chart's templates
 * (`bijux-atlas.validate`) refuse the same values at `helm template`, and the ones JSON Schema
 * can say are in values.schema.json too (`jsonSchema`). test/unit/clauses.test.ts holds each
 * layer to each rule.
 */
import { isIP } from "net";
import { coverageOf, describeSize, parseCidr } from "../contract/addresses";
import { broadEgress, broadEgressLimit, broadFamilies, describeEgressLimit } from "../contract/network";
import { paths } from "../contract/pod";
import { ephemeralStorageNeeded, quantityValue } from "../contract/quantity";
import type { ChartValues } from "./chartValues";

/** One bad key: its path, the value found there, and what is allowed. */
export interface Problem {
  path: (string | number)[];
  received: unknown;
  allowed: string;
}

export interface ValuesConstraint {
  /** Stable id, used by the clause table. */
  id: string;
  check(v: ChartValues): Problem[];
  /** The same rule in JSON Schema, where it can be said (added to values.schema.json's allOf). */
  jsonSchema?: Record<string, unknown>;
  /** Why neither values.schema.json nor the chart's templates can refuse it, when they cannot. */
  chartCannot?: string;
}

const cacheOnEmptyDir = (v: ChartValues) => !v.nodeLocalSsdProfile.enabled && v.cache.existingClaim === "";

/** Whether an IPv4 address lies in an IPv4 CIDR (IPv6 literals are not compared). */
function inCidr(address: string, cidr: string): boolean {
  const [net, bits] = cidr.split("/");
  if (isIP(address) !== 4 || isIP(net) !== 4) return false;
  const toInt = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(address) / size) === Math.floor(toInt(net) / size);
}

export const valuesConstraints: ValuesConstraint[] = [
  {
    id: "store-one-source",
    check: ({ store }) =>
      store.url !== "" && store.existingClaim !== ""
        ? [{ path: ["store", "existingClaim"], received: store.existingClaim, allowed: `"" while store.url is set: the store is either a URL or a mounted claim` }]
        : [],
  },
  {
    id: "store-required-online",
    check: ({ store, server }) =>
      !server.cachedOnlyMode && store.url === "" && store.existingClaim === ""
        ? [{ path: ["store", "url"], received: "", allowed: "the store's base URL (or store.existingClaim): without cached-only mode the server is ready only once it has read the store's catalog" }]
        : [],
  },
  {
    id: "cached-only-no-egress-cidr",
    check: ({ server, networkPolicy }) =>
      server.cachedOnlyMode && networkPolicy.egressCidrs.length > 0
        ? [{ path: ["networkPolicy", "egressCidrs"], received: networkPolicy.egressCidrs, allowed: "no CIDR while server.cachedOnlyMode is true: cached-only serving never fetches, and the offline contract allows no store egress" }]
        : [],
    jsonSchema: {
      if: { properties: { server: { properties: { cachedOnlyMode: { const: true } }, required: ["cachedOnlyMode"] } }, required: ["server"] },
      then: { properties: { networkPolicy: { properties: { egressCidrs: { maxItems: 0 } } } } },
    },
  },
  {
    // The per-CIDR limit is the cidr grammar (contract/grammar.ts); this is the sum over entries.
    id: "egress-coverage",
    check: ({ networkPolicy }) => {
      const coverage = coverageOf(networkPolicy.egressCidrs.map((r) => parseCidr(r.cidr)));
      return broadFamilies(coverage).map((f) => ({
        path: ["networkPolicy", "egressCidrs"],
        received: networkPolicy.egressCidrs.map((r) => r.cidr),
        allowed: `CIDRs that together cover at most ${broadEgressLimit} of addresses (the contract's broad-egress limit, counted as the policy pack counts NetworkPolicies); these cover ${describeSize(coverage[f].size())} ${broadEgress[f].family} addresses, more than ${describeEgressLimit(f)}`,
      }));
    },
    chartCannot:
      "the coverage of several CIDRs is the size of their union (overlaps count once): JSON Schema cannot add up over a list's items, and Helm's template functions have no CIDR arithmetic; the stack config and the policy pack (atlas-egress, at preview and on rendered YAML) refuse it",
  },
  {
    id: "store-url-egress",
    check: ({ store, networkPolicy }) => {
      if (store.url === "" || !networkPolicy.enabled) return [];
      if (networkPolicy.egressCidrs.length === 0) {
        return [{ path: ["networkPolicy", "egressCidrs"], received: [], allowed: "a CIDR rule covering store.url's address: the NetworkPolicy denies all other egress" }];
      }
      const url = new URL(store.url);
      const host = url.hostname.replace(/^\[|\]$/g, "");
      const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
      if (isIP(host) !== 4) return [];
      const covered = networkPolicy.egressCidrs.some((r) => inCidr(host, r.cidr) && r.ports.some((p) => p.port === port && p.protocol === "TCP"));
      return covered ? [] : [{ path: ["networkPolicy", "egressCidrs"], received: networkPolicy.egressCidrs, allowed: `a CIDR rule covering the store at ${host}:${port}/TCP` }];
    },
  },
  {
    id: "store-credentials",
    check: ({ store }) => {
      const c = store.credentials;
      const problems: Problem[] = [];
      if (c.create && c.existingSecret !== "") problems.push({ path: ["store", "credentials", "existingSecret"], received: c.existingSecret, allowed: '"" while create is true: either the chart creates the Secret or an existing one is named' });
      if (c.create && c.bearerToken === "") problems.push({ path: ["store", "credentials", "bearerToken"], received: "", allowed: "the store's bearer token while create is true" });
      if (!c.create && c.bearerToken !== "") problems.push({ path: ["store", "credentials", "bearerToken"], received: "[secret]", allowed: '"" unless create is true (the token would be ignored)' });
      if ((c.create || c.existingSecret !== "") && store.url === "") problems.push({ path: ["store", "credentials"], received: c.create ? "create" : c.existingSecret, allowed: "no credentials without store.url: the server sends its bearer token only to an HTTP store" });
      return problems;
    },
  },
  {
    id: "cache-one-volume",
    check: ({ cache, nodeLocalSsdProfile }) =>
      cache.existingClaim !== "" && nodeLocalSsdProfile.enabled
        ? [{ path: ["cache", "existingClaim"], received: cache.existingClaim, allowed: `"" while nodeLocalSsdProfile.enabled is true: ${paths.cache} is either a claim of its own or a node-local SSD` }]
        : [],
  },
  {
    id: "ephemeral-storage-budget",
    check: (v) => {
      const limit = v.resources.limits["ephemeral-storage"];
      const needed = ephemeralStorageNeeded({ cacheOnEmptyDir: cacheOnEmptyDir(v), cacheSize: v.cache.diskSize, tmpSize: v.cache.tmpSize });
      if (needed <= quantityValue(limit)) return [];
      return [
        {
          path: ["resources", "limits", "ephemeral-storage"],
          received: limit,
          allowed: cacheOnEmptyDir(v)
            ? `at least cache.diskSize + cache.tmpSize (${v.cache.diskSize} + ${v.cache.tmpSize}): the emptyDir size limits must fit the container's ephemeral-storage limit, so kubelet evicts on the cache policy`
            : `at least cache.tmpSize (${v.cache.tmpSize})`,
        },
      ];
    },
  },
  {
    id: "job-ephemeral-storage-budget",
    check: (v) =>
      (["datasetWarmupJob", "catalogPublishJob"] as const)
        .filter((job) => v[job].enabled && quantityValue(v.cache.tmpSize) > quantityValue(v[job].resources.limits["ephemeral-storage"]))
        .map((job) => ({ path: [job, "resources", "limits", "ephemeral-storage"], received: v[job].resources.limits["ephemeral-storage"], allowed: `at least cache.tmpSize (${v.cache.tmpSize}), the Job's ${paths.tmp} emptyDir` })),
  },
  {
    id: "cache-cap-fits-volume",
    check: (v) => {
      const volume = v.nodeLocalSsdProfile.enabled ? { key: "nodeLocalSsdProfile.size", size: v.nodeLocalSsdProfile.size } : cacheOnEmptyDir(v) ? { key: "cache.diskSize", size: v.cache.diskSize } : undefined;
      if (!volume || v.cache.maxDiskBytes <= quantityValue(volume.size)) return [];
      return [{ path: ["cache", "maxDiskBytes"], received: v.cache.maxDiskBytes, allowed: `at most ${volume.key} (${volume.size} = ${quantityValue(volume.size)} bytes): the server's cap must be reached before the volume is full` }];
    },
  },
  {
    id: "prewarm-needs-datasets",
    check: ({ cache }) =>
      cache.initPrewarm.enabled && cache.pinnedDatasets.length === 0
        ? [{ path: ["cache", "pinnedDatasets"], received: [], allowed: "at least one dataset while cache.initPrewarm.enabled is true" }]
        : [],
    jsonSchema: {
      if: { properties: { cache: { properties: { initPrewarm: { properties: { enabled: { const: true } }, required: ["enabled"] } }, required: ["initPrewarm"] } }, required: ["cache"] },
      then: { properties: { cache: { properties: { pinnedDatasets: { minItems: 1 } } } } },
    },
  },
  {
    id: "warmup-job-needs-datasets-and-store-claim",
    check: ({ datasetWarmupJob, cache, store }) => {
      if (!datasetWarmupJob.enabled) return [];
      const problems: Problem[] = [];
      if (cache.pinnedDatasets.length === 0) problems.push({ path: ["cache", "pinnedDatasets"], received: [], allowed: "at least one dataset while datasetWarmupJob.enabled is true (the Job smoke-tests each)" });
      if (store.existingClaim === "") problems.push({ path: ["store", "existingClaim"], received: "", allowed: "the store claim while datasetWarmupJob.enabled is true: the smoke reads each dataset's files from the mounted store" });
      return problems;
    },
  },
  {
    id: "catalog-publish-job-needs-dataset-and-store-claim",
    check: ({ catalogPublishJob, store }) => {
      if (!catalogPublishJob.enabled) return [];
      const problems: Problem[] = [];
      if (catalogPublishJob.dataset === "") problems.push({ path: ["catalogPublishJob", "dataset"], received: "", allowed: "the dataset to promote (release/species/assembly) while catalogPublishJob.enabled is true" });
      if (store.existingClaim === "") problems.push({ path: ["store", "existingClaim"], received: "", allowed: "the store claim while catalogPublishJob.enabled is true: the Job writes the store's catalog.json" });
      return problems;
    },
  },
  {
    id: "drain-within-grace",
    check: ({ server }) =>
      server.shutdownDrainSeconds >= server.terminationGracePeriodSeconds
        ? [{ path: ["server", "shutdownDrainSeconds"], received: server.shutdownDrainSeconds, allowed: `less than server.terminationGracePeriodSeconds (${server.terminationGracePeriodSeconds}), or kubelet kills the pod mid-drain` }]
        : [],
  },
  {
    id: "startup-budget-covers-jitter",
    check: ({ server, cache }) => {
      const budget = server.startupProbe.periodSeconds * server.startupProbe.failureThreshold;
      return budget <= cache.warmupJitterSeconds
        ? [{ path: ["server", "startupProbe", "failureThreshold"], received: server.startupProbe.failureThreshold, allowed: `enough that periodSeconds x failureThreshold (${budget} s) exceeds cache.warmupJitterSeconds (${cache.warmupJitterSeconds} s): the server does not listen during the jitter` }]
        : [];
    },
  },
  {
    id: "hpa-bounds",
    check: ({ hpa }) => (hpa.minReplicas > hpa.maxReplicas ? [{ path: ["hpa", "minReplicas"], received: hpa.minReplicas, allowed: `at most hpa.maxReplicas (${hpa.maxReplicas})` }] : []),
  },
  {
    id: "pdb-leaves-room",
    check: ({ pdb, hpa, server }) => {
      const fewest = hpa.enabled ? hpa.minReplicas : server.replicas;
      return pdb.enabled && pdb.maxUnavailable === null && typeof pdb.minAvailable === "number" && pdb.minAvailable >= fewest
        ? [{ path: ["pdb", "minAvailable"], received: pdb.minAvailable, allowed: `fewer than the ${fewest} replica(s) that may run, or node drains block forever` }]
        : [];
    },
  },
  {
    id: "requests-within-limits",
    check: ({ resources }) =>
      (["cpu", "memory", "ephemeral-storage"] as const)
        .filter((r) => quantityValue(resources.requests[r]) > quantityValue(resources.limits[r]))
        .map((r) => ({ path: ["resources", "requests", r], received: resources.requests[r], allowed: `at most resources.limits.${r} (${resources.limits[r]})` })),
  },
];

/** Every problem of chart values that passed the schema. */
export function checkChartValues(values: ChartValues): Problem[] {
  return valuesConstraints.flatMap((c) => c.check(values));
}
