/**
 * The Kubernetes object model the contract speaks about: plain objects, the kinds that carry a
 * pod template, and walking them. Policy rules, the pod runner and tests share these.
 */
import { atlasName, atlasNameLabel } from "./labels";

/** A plain Kubernetes object, as YAML or a Pulumi resource's properties carry it. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [field: string]: any };
  [field: string]: any;
}

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
    case "ReplicationController":
      return obj.spec?.template?.spec ? { metadata: obj.spec.template.metadata ?? {}, spec: obj.spec.template.spec } : undefined;
    case "PodTemplate":
      return obj.template?.spec ? { metadata: obj.template.metadata ?? {}, spec: obj.template.spec } : undefined;
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

/** Whether pods of this template are atlas pods (labelled on the pod or, failing that, the workload). */
export function isAtlasPod(obj: K8sObject, template: PodTemplate): boolean {
  const labels = template.metadata.labels ?? obj.metadata?.labels ?? {};
  return labels[atlasNameLabel] === atlasName;
}

/** An atlas pod template, or undefined. */
export function atlasPodTemplateOf(obj: K8sObject): PodTemplate | undefined {
  const t = podTemplateOf(obj);
  return t && isAtlasPod(obj, t) ? t : undefined;
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

/** A Kubernetes object of the given kind and API group ("" for the core group). */
export function isKind(obj: K8sObject, kind: string, group?: string): boolean {
  if (obj.kind !== kind) return false;
  if (group === undefined) return true;
  const g = (obj.apiVersion ?? "").includes("/") ? obj.apiVersion!.split("/")[0] : "";
  return g === group;
}

/** "Deployment ns/name" for messages. */
export function describeObject(obj: K8sObject): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : "";
  return `${obj.kind ?? "?"} ${ns}${obj.metadata?.name ?? "?"}`;
}

/** Kubernetes label selector semantics (matchLabels plus matchExpressions). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether the selector selects an object with these labels. An empty selector selects everything. */
export function selects(selector: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case "In":
        if (!has || !(e.values ?? []).includes(labels[e.key])) return false;
        break;
      case "NotIn":
        if (has && (e.values ?? []).includes(labels[e.key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
