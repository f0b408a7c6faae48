import { check, Finding } from "../../policy/src/evaluate";
import type { PackConfig } from "../../policy/src/config";
import { K8sObject, renderProfile } from "../support/chart";

/** The compliant baseline: the chart's default render. */
export function baseline(profile = "default"): K8sObject[] {
  return structuredClone(renderProfile(profile));
}

export const byKind = (objs: K8sObject[], kind: string) => objs.find((o) => o.kind === kind)!;
/** The server workload (Deployment or Rollout) of a render. */
export const workload = (objs: K8sObject[]) => objs.find((o) => o.kind === "Deployment" || o.kind === "Rollout")!;
export const podSpec = (objs: K8sObject[]) => workload(objs).spec.template.spec;
export const server = (objs: K8sObject[]) => podSpec(objs).containers[0];

export function mandatory(findings: Finding[]): Finding[] {
  return findings.filter((f) => !f.exemptedBecause && f.enforcement === "mandatory");
}

export function policiesHit(objects: K8sObject[], config?: PackConfig): string[] {
  return [...new Set(check(objects, { config }).filter((f) => !f.exemptedBecause).map((f) => f.policy))].sort();
}

/** A compliant bare Pod labelled as atlas, for kind-shape tests. */
export function atlasPod(): K8sObject {
  const objs = baseline();
  const t = workload(objs).spec.template;
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "atlas-debug", namespace: "atlas", labels: t.metadata.labels }, spec: t.spec };
}
