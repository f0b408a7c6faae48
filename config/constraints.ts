/**
 * Rules relating several `atlas:` keys. Each names the sections it reads, so it still runs when
 * other sections are invalid: one run reports every problem it can.
 */
import { quantityValue } from "./primitives";
import type { SectionName, StackConfig } from "./schema";

/** One bad key: its path under `atlas:`, the value found there, and what is allowed. */
export interface Problem {
  path: (string | number)[];
  received: unknown;
  allowed: string;
}

export interface Rule {
  /** Sections the check reads; it runs only when all of them parsed. */
  reads: SectionName[];
  check(config: StackConfig): Problem[];
}

/** Pods that can exist at once: the HPA's ceiling (or the fixed replicas) plus one rolling-update surge pod. */
function peakPods(c: StackConfig): number {
  return (c.hpa.enabled ? c.hpa.maxReplicas : c.server.replicas) + 1;
}

export const rules: Rule[] = [
  {
    reads: ["image", "cluster"],
    check: (c) =>
      c.image.source === "build" && c.image.repository === undefined && c.cluster.target !== "kind"
        ? [{ path: ["image", "repository"], received: undefined, allowed: `a repository the ${c.cluster.target} target's cluster pulls from (only the kind target provides a local registry)` }]
        : [],
  },
  {
    reads: ["store"],
    check: ({ store }) => {
      const cred = store.credentials;
      if (!cred) return [];
      const problems: Problem[] = [];
      const keys = cred.accessKey !== undefined || cred.secretKey !== undefined;
      if (keys && cred.existingSecret !== undefined) {
        problems.push({ path: ["store", "credentials", "existingSecret"], received: cred.existingSecret, allowed: "either existingSecret or accessKey/secretKey, not both" });
      }
      for (const [key, other] of [["accessKey", "secretKey"], ["secretKey", "accessKey"]] as const) {
        if (cred[key] === undefined && cred[other] !== undefined) {
          problems.push({ path: ["store", "credentials", key], received: undefined, allowed: `a secret value whenever ${other} is set` });
        }
      }
      if (!keys && cred.existingSecret === undefined) {
        problems.push({ path: ["store", "credentials"], received: cred, allowed: "accessKey and secretKey (as secrets), or existingSecret" });
      }
      return problems;
    },
  },
  {
    reads: ["server"],
    check: ({ server }) =>
      !server.cachedOnlyMode && server.catalogUrl === undefined
        ? [{ path: ["server", "catalogUrl"], received: undefined, allowed: "the catalog URL; readiness waits for the catalog unless server.cachedOnlyMode is true" }]
        : [],
  },
  {
    reads: ["server", "store", "networkPolicy"],
    check: ({ server, store, networkPolicy }) => {
      const endpoints = [server.catalogUrl && "server.catalogUrl", store.endpoint && "store.endpoint"].filter(Boolean);
      return networkPolicy.enabled && endpoints.length > 0 && networkPolicy.egressCidrs.length === 0
        ? [{ path: ["networkPolicy", "egressCidrs"], received: [], allowed: `at least one CIDR rule covering ${endpoints.join(" and ")}; the NetworkPolicy denies all other egress` }]
        : [];
    },
  },
  {
    reads: ["canary", "argoRollouts"],
    check: (c) =>
      c.canary.enabled && c.argoRollouts.mode === "disabled"
        ? [{ path: ["argoRollouts", "mode"], received: "disabled", allowed: '"install" or "preinstalled" while canary.enabled is true (the Rollout needs the Argo Rollouts CRDs and controller)' }]
        : [],
  },
  {
    reads: ["hpa", "metricsAdapter"],
    check: (c) =>
      c.hpa.enabled && c.metricsAdapter.mode === "disabled"
        ? [{ path: ["metricsAdapter", "mode"], received: "disabled", allowed: '"install" or "preinstalled" while hpa.enabled is true (the HPA scales on two custom Pods metrics)' }]
        : [],
  },
  {
    reads: ["serviceMonitor", "monitoring"],
    check: (c) =>
      c.serviceMonitor.enabled && c.monitoring.mode === "disabled"
        ? [{ path: ["monitoring", "mode"], received: "disabled", allowed: '"install" or "preinstalled" while serviceMonitor.enabled is true (it needs the Prometheus Operator CRDs)' }]
        : [],
  },
  {
    reads: ["metricsAdapter", "monitoring"],
    check: ({ metricsAdapter, monitoring }) => {
      if (metricsAdapter.mode !== "install") return [];
      if (monitoring.mode === "disabled") {
        return [{ path: ["monitoring", "mode"], received: "disabled", allowed: '"install", or "preinstalled" with prometheusUrl, while metricsAdapter.mode is "install" (the adapter queries Prometheus)' }];
      }
      if (monitoring.mode === "preinstalled" && monitoring.prometheusUrl === undefined) {
        return [{ path: ["monitoring", "prometheusUrl"], received: undefined, allowed: 'the URL of the existing Prometheus while metricsAdapter.mode is "install"' }];
      }
      return [];
    },
  },
  {
    reads: ["cache", "datasetWarmupJob"],
    check: ({ cache, datasetWarmupJob }) => {
      const users = [cache.prewarm && "cache.prewarm", datasetWarmupJob.enabled && "datasetWarmupJob.enabled"].filter(Boolean);
      return users.length > 0 && cache.pinnedDatasets.length === 0
        ? [{ path: ["cache", "pinnedDatasets"], received: [], allowed: `at least one dataset while ${users.join(" and ")} is true` }]
        : [];
    },
  },
  {
    reads: ["hpa"],
    check: ({ hpa }) =>
      hpa.minReplicas > hpa.maxReplicas ? [{ path: ["hpa", "minReplicas"], received: hpa.minReplicas, allowed: `at most hpa.maxReplicas (${hpa.maxReplicas})` }] : [],
  },
  {
    reads: ["pdb", "hpa", "server"],
    check: ({ pdb, hpa, server }) => {
      const fewest = hpa.enabled ? hpa.minReplicas : server.replicas;
      return pdb.enabled && typeof pdb.minAvailable === "number" && pdb.minAvailable >= fewest
        ? [{ path: ["pdb", "minAvailable"], received: pdb.minAvailable, allowed: `fewer than the ${fewest} replica(s) that may run, or node drains block forever` }]
        : [];
    },
  },
  {
    reads: ["resources"],
    check: ({ resources }) =>
      (["cpu", "memory", "ephemeral-storage"] as const)
        .filter((r) => quantityValue(resources.requests[r]) > quantityValue(resources.limits[r]))
        .map((r) => ({ path: ["resources", "requests", r], received: resources.requests[r], allowed: `at most resources.limits.${r} (${resources.limits[r]})` })),
  },
  {
    reads: ["cache", "resources", "nodeLocalSsd"],
    check: ({ cache, resources, nodeLocalSsd }) => {
      const problems: Problem[] = [];
      const limit = resources.limits["ephemeral-storage"];
      const ssd = nodeLocalSsd.enabled;
      // With the SSD profile /cache is a PVC and no longer counts against ephemeral-storage.
      const onEphemeral = ssd ? quantityValue(cache.tmpSize) : quantityValue(cache.diskSize) + quantityValue(cache.tmpSize);
      if (onEphemeral > quantityValue(limit)) {
        problems.push({
          path: ["resources", "limits", "ephemeral-storage"],
          received: limit,
          allowed: ssd ? `at least cache.tmpSize (${cache.tmpSize})` : `at least cache.diskSize + cache.tmpSize (${cache.diskSize} + ${cache.tmpSize}), so kubelet evicts on the cache policy`,
        });
      }
      const cap = ssd ? nodeLocalSsd.size : cache.diskSize;
      if (cache.maxDiskBytes > quantityValue(cap)) {
        problems.push({ path: ["cache", "maxDiskBytes"], received: cache.maxDiskBytes, allowed: `at most ${ssd ? "nodeLocalSsd.size" : "cache.diskSize"} (${cap} = ${quantityValue(cap)} bytes)` });
      }
      return problems;
    },
  },
  {
    reads: ["nodeLocalSsd", "cluster", "hpa", "server"],
    check: (c) => {
      const ssd = c.nodeLocalSsd;
      const problems: Problem[] = [];
      const declaresVolumes = ssd.enabled && ssd.provision === "stack" && c.cluster.target !== "kind";
      if (ssd.volumes.length > 0 && !declaresVolumes) {
        problems.push({
          path: ["nodeLocalSsd", "volumes"],
          received: ssd.volumes,
          allowed: "no volumes unless nodeLocalSsd.enabled is true, provision is stack and the target is not kind (kind generates its own)",
        });
      }
      if (declaresVolumes && ssd.volumes.length === 0) {
        problems.push({ path: ["nodeLocalSsd", "volumes"], received: [], allowed: 'at least one {node, path, capacity}, or provision "platform" when the platform provides the local PVs' });
      }
      if (declaresVolumes) {
        const seen = new Set<string>();
        ssd.volumes.forEach((v, i) => {
          if (seen.has(`${v.node}:${v.path}`)) {
            problems.push({ path: ["nodeLocalSsd", "volumes", i], received: v, allowed: `a node and path not listed before (${v.node}:${v.path} is)` });
          }
          seen.add(`${v.node}:${v.path}`);
          if (quantityValue(v.capacity) < quantityValue(ssd.size)) {
            problems.push({ path: ["nodeLocalSsd", "volumes", i, "capacity"], received: v.capacity, allowed: `at least nodeLocalSsd.size (${ssd.size}); a smaller volume never binds` });
          }
        });
        if (ssd.volumes.length < peakPods(c)) {
          problems.push({ path: ["nodeLocalSsd", "volumes"], received: ssd.volumes, allowed: `at least ${peakPods(c)} volumes (peak pods incl. one surge pod); each pod binds one local PV` });
        }
      }
      if (ssd.enabled && ssd.provision === "stack" && c.cluster.target === "kind") {
        const total = c.cluster.workers * c.cluster.ssdVolumesPerNode;
        if (total < peakPods(c)) {
          problems.push({
            path: ["cluster", "ssdVolumesPerNode"],
            received: c.cluster.ssdVolumesPerNode,
            allowed: `at least ${Math.ceil(peakPods(c) / c.cluster.workers)} so ${c.cluster.workers} worker(s) hold ${peakPods(c)} volumes (peak pods incl. one surge pod)`,
          });
        }
      }
      return problems;
    },
  },
];
