import { atlasPodTemplateOf, containersOf, type NamedContainer, type PodTemplate } from "../../contract/k8s";
import type { K8sObject, ObjectRule, Settings } from "./types";

type PodCheck = (pod: PodTemplate, object: K8sObject, settings: Settings) => string[];

/**
 * A rule over atlas pod templates: the check sees the pod template of every pod-bearing kind
 * (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController,
 * PodTemplate, Rollout) whose pods carry the atlas label.
 */
export function podRule(meta: Omit<ObjectRule, "scope" | "check">, check: PodCheck): ObjectRule {
  return {
    ...meta,
    scope: "object",
    check(object, settings) {
      const pod = atlasPodTemplateOf(object);
      return pod ? check(pod, object, settings).map((message) => ({ message })) : [];
    },
  };
}

/** Container-level check, applied to init, regular and ephemeral containers. */
export function eachContainer(pod: PodTemplate, check: (c: NamedContainer) => string | string[] | undefined): string[] {
  return containersOf(pod.spec).flatMap((c) => {
    const r = check(c);
    return r === undefined ? [] : Array.isArray(r) ? r : [r];
  });
}
