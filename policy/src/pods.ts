import { atlasName, atlasNameLabel } from "../../contract/labels";
import { describeObject, type K8sObject, type NamedContainer } from "../../contract/k8s";

export { atlasPodTemplateOf, containersOf, isKind, podTemplateOf } from "../../contract/k8s";
export type { NamedContainer, PodTemplate } from "../../contract/k8s";

/** Label that marks atlas pods; add-on pods (exporters, controllers) do not carry it. */
export const ATLAS_NAME_LABEL = atlasNameLabel;
export const ATLAS_NAME = atlasName;

/** Every kind whose objects carry a pod template (as Pod Security admission evaluates them). */
export const podBearingKinds = ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "PodTemplate", "Rollout"] as const;

/** "containers[server]" style label for messages. */
export function where(c: NamedContainer): string {
  return `${c.list}[${c.container?.name ?? "?"}]`;
}

/** Serving workloads run continuously and are probed; Jobs and CronJobs run to completion. */
export function isServingWorkload(obj: K8sObject): boolean {
  return ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController", "Rollout"].includes(obj.kind ?? "") || (obj.kind === "Pod" && !obj.metadata?.labels?.["job-name"] && !(obj.metadata as any)?.ownerReferences?.some?.((o: any) => o.kind === "Job"));
}

export const describe = describeObject;
