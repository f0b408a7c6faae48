/**
 * The renders the server tier checks: the chart's profiles (default, offline, all-features,
 * store-credentials) and each stack's render (values-<stack>.yaml, generated from
 * Pulumi.<stack>.yaml), each with its pod-bearing objects and the containers' resolved
 * environment, worked out by the pod runner's planner as the kubelet would resolve it.
 */
import { profileValues, renderProfile } from "../../lib/chartProfiles";
import { planPod, PodPlan } from "../../lib/server/pod/plan";
import { serverImage } from "../../lib/server/pod";
import { describeObject, K8sObject, podTemplateOf } from "../../contract/k8s";
import { env } from "../../contract/env";

export interface Render {
  readonly name: string;
  readonly source: "profile" | "stack";
  /** Objects an operator provides next to the release (a Secret the values name as existing). */
  readonly provided: readonly K8sObject[];
}

/** The operator-made store Secret prod names (store.credentials.existingSecret). */
export const prodStoreSecret: K8sObject = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "atlas-store-credentials", namespace: "atlas" },
  type: "Opaque",
  stringData: { [env.storeBearer]: "operator-provided-bearer" },
};

export const renders: readonly Render[] = [
  { name: "default", source: "profile", provided: [] },
  { name: "offline", source: "profile", provided: [] },
  { name: "all-features", source: "profile", provided: [] },
  { name: "store-credentials", source: "profile", provided: [] },
  { name: "dev", source: "stack", provided: [] },
  { name: "prod", source: "stack", provided: [prodStoreSecret] },
];

/** The render under test; renders of the offline stack and the offline profile are the same file. */
export function objectsOf(r: Render, values?: Record<string, unknown>): K8sObject[] {
  return [...renderProfile(r.name, values ? { values } : {}), ...r.provided] as K8sObject[];
}

/** Every object of a render that carries a pod. */
export function podBearers(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind !== "Pod" && podTemplateOf(o));
}

/** The serving workload (the Deployment or Rollout). */
export function servingWorkload(objects: readonly K8sObject[]): K8sObject {
  const w = objects.filter((o) => o.kind === "Deployment" || o.kind === "Rollout");
  if (w.length !== 1) throw new Error(`expected one Deployment or Rollout, found ${w.map(describeObject).join(", ") || "none"}`);
  return w[0];
}

/** Host directories standing in for every claim a render's pods mount (env resolution needs none of them). */
export function claimsOf(objects: readonly K8sObject[], dir: string): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const o of podBearers(objects)) {
    for (const v of podTemplateOf(o)!.spec.volumes ?? []) if (v.persistentVolumeClaim) claims[v.persistentVolumeClaim.claimName] = dir;
  }
  return claims;
}

/** The runner's plan of one pod of `obj` (nothing is created). */
export function planOf(objects: readonly K8sObject[], obj: K8sObject, claimDir: string): PodPlan {
  return planPod(objects, { kind: obj.kind!, name: obj.metadata!.name! }, "/nonexistent", { image: serverImage, claims: claimsOf(objects, claimDir) });
}

/** A chart value as the render sees it (values.yaml, the profile's values files and `overrides`, merged as helm merges them). */
export function chartValue(r: Render, keyPath: string, overrides?: Record<string, unknown>): unknown {
  let node: any = profileValues(r.name, overrides);
  for (const k of keyPath.split(".")) node = node?.[k];
  return node;
}
