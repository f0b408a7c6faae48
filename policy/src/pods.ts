import type { K8sObject } from "./types";

/** Label that marks atlas pods; add-on pods (exporters, controllers) do not carry it. */
export const ATLAS_NAME_LABEL = "app.kubernetes.io/name";
export const ATLAS_NAME = "bijux-atlas";

export const podBearingKinds = ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "Rollout"] as const;

export interface PodTemplate {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: any;
}

/** The pod template an object carries (its own spec for a bare Pod), or undefined. */
export function podTemplateOf(obj: K8sObject): PodTemplate | undefined {
  switch (obj.kind) {
    case "Pod":
      return obj.spec ? { metadata: obj.metadata ?? {}, spec: obj.spec } : undefined;
    case "Deployment":
    case "ReplicaSet":
    case "StatefulSet":
    case "DaemonSet":
    case "Job":
      return obj.spec?.template?.spec ? { metadata: obj.spec.template.metadata ?? {}, spec: obj.spec.template.spec } : undefined;
    case "Rollout":
      // A Rollout may reference a Deployment's template (workloadRef) instead of carrying one.
      return obj.apiVersion?.startsWith("argoproj.io/") && obj.spec?.template?.spec
        ? { metadata: obj.spec.template.metadata ?? {}, spec: obj.spec.template.spec }
        : undefined;
    case "CronJob":
      return obj.spec?.jobTemplate?.spec?.template?.spec
        ? { metadata: obj.spec.jobTemplate.spec.template.metadata ?? {}, spec: obj.spec.jobTemplate.spec.template.spec }
        : undefined;
    default:
      return undefined;
  }
}

/** An atlas pod template: labelled app.kubernetes.io/name=bijux-atlas (on the pod or, failing that, the workload). */
export function atlasPodTemplateOf(obj: K8sObject): PodTemplate | undefined {
  const t = podTemplateOf(obj);
  if (!t) return undefined;
  const labels = t.metadata.labels ?? obj.metadata?.labels ?? {};
  return labels[ATLAS_NAME_LABEL] === ATLAS_NAME ? t : undefined;
}

export interface NamedContainer {
  /** "initContainers", "containers" or "ephemeralContainers". */
  list: string;
  container: any;
}

/** Every container of a pod spec, with the list it belongs to. */
export function containersOf(spec: any, opts: { ephemeral?: boolean } = {}): NamedContainer[] {
  const lists = ["initContainers", "containers", ...(opts.ephemeral === false ? [] : ["ephemeralContainers"])];
  return lists.flatMap((list) => (Array.isArray(spec?.[list]) ? spec[list] : []).map((container: any) => ({ list, container })));
}

/** "containers[server]" style label for messages. */
export function where(c: NamedContainer): string {
  return `${c.list}[${c.container?.name ?? "?"}]`;
}

/** Serving workloads run continuously and are probed; Jobs and CronJobs run to completion. */
export function isServingWorkload(obj: K8sObject): boolean {
  return ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Rollout"].includes(obj.kind ?? "") || (obj.kind === "Pod" && !obj.metadata?.labels?.["job-name"] && !(obj.metadata as any)?.ownerReferences?.some?.((o: any) => o.kind === "Job"));
}

/** A Kubernetes object of the given kind and API group. */
export function isKind(obj: K8sObject, kind: string, group?: string): boolean {
  if (obj.kind !== kind) return false;
  if (group === undefined) return true;
  const g = (obj.apiVersion ?? "").includes("/") ? obj.apiVersion!.split("/")[0] : "";
  return g === group;
}

export function describe(obj: K8sObject): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : "";
  return `${obj.kind ?? "?"} ${ns}${obj.metadata?.name ?? "?"}`;
}
