/**
 * Rules relating several `atlas:` keys that only the stack has (cluster, image, add-ons, the
 * local volumes it declares); rules over the chart's values are chartConstraints.ts, run on the
 * values the stack builds. Each names the sections it reads, so it still runs when other sections
 * are invalid: one run reports every problem it can.
 */
import { quantityValue } from "../contract/quantity";
import type { Problem } from "./chartConstraints";
import type { SectionName, StackConfig } from "./schema";

export type { Problem };

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
    reads: ["store"],
    check: ({ store }) =>
      store.credentials.bearerToken !== undefined && store.credentials.existingSecret !== ""
        ? [{ path: ["store", "credentials", "existingSecret"], received: store.credentials.existingSecret, allowed: '"" while bearerToken is set: the token is either this stack\'s secret (the chart creates the Secret) or in an existing Secret, not both' }]
        : [],
  },
  {
    reads: ["image", "cluster"],
    check: (c) =>
      c.image.source === "build" && c.image.repository === undefined && c.cluster.target !== "kind"
        ? [{ path: ["image", "repository"], received: undefined, allowed: `a repository the ${c.cluster.target} target's cluster pulls from (only the kind target provides a local registry)` }]
        : [],
  },
  {
    reads: ["rollout", "argoRollouts"],
    check: (c) =>
      c.rollout.enabled && c.argoRollouts.mode === "disabled"
        ? [{ path: ["argoRollouts", "mode"], received: "disabled", allowed: '"install" or "preinstalled" while rollout.enabled is true (the Rollout needs the Argo Rollouts CRDs and controller)' }]
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
    reads: ["nodeLocalSsdProfile", "cluster", "hpa", "server"],
    check: (c) => {
      const ssd = c.nodeLocalSsdProfile;
      const problems: Problem[] = [];
      const declaresVolumes = ssd.enabled && ssd.provision === "stack" && c.cluster.target !== "kind";
      if (ssd.volumes.length > 0 && !declaresVolumes) {
        problems.push({
          path: ["nodeLocalSsdProfile", "volumes"],
          received: ssd.volumes,
          allowed: "no volumes unless nodeLocalSsdProfile.enabled is true, provision is stack and the target is not kind (kind generates its own)",
        });
      }
      if (declaresVolumes && ssd.volumes.length === 0) {
        problems.push({ path: ["nodeLocalSsdProfile", "volumes"], received: [], allowed: 'at least one {node, path, capacity}, or provision "platform" when the platform provides the local PVs' });
      }
      if (declaresVolumes) {
        const seen = new Set<string>();
        ssd.volumes.forEach((v: StackConfig["nodeLocalSsdProfile"]["volumes"][number], i: number) => {
          if (seen.has(`${v.node}:${v.path}`)) {
            problems.push({ path: ["nodeLocalSsdProfile", "volumes", i], received: v, allowed: `a node and path not listed before (${v.node}:${v.path} is)` });
          }
          seen.add(`${v.node}:${v.path}`);
          if (quantityValue(v.capacity) < quantityValue(ssd.size)) {
            problems.push({ path: ["nodeLocalSsdProfile", "volumes", i, "capacity"], received: v.capacity, allowed: `at least nodeLocalSsdProfile.size (${ssd.size}); a smaller volume never binds` });
          }
        });
        if (ssd.volumes.length < peakPods(c)) {
          problems.push({ path: ["nodeLocalSsdProfile", "volumes"], received: ssd.volumes, allowed: `at least ${peakPods(c)} volumes (peak pods incl. one surge pod); each pod binds one local PV` });
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
