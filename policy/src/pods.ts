/** What the rules say about pods beyond the shared walkers in contract/k8s.ts: message labels and which workloads serve. */
import type { K8sObject, NamedContainer } from "../../contract/k8s";

/** "containers[server]" style label for messages. */
export function where(c: NamedContainer): string {
  return `${c.list}[${c.container?.name ?? "?"}]`;
}

/** Kinds whose pods serve continuously and are probed; Jobs and CronJobs run to completion. */
const servingKinds = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController", "Rollout"];

export function isServingWorkload(obj: K8sObject): boolean {
  if (servingKinds.includes(obj.kind ?? "")) return true;
  return obj.kind === "Pod" && !obj.metadata?.labels?.["job-name"] && !obj.metadata?.ownerReferences?.some?.((o: any) => o.kind === "Job");
}
