import { check, Finding } from "../../../policy/src/evaluate";
import type { PackConfig } from "../../../policy/src/config";
import type { K8sObject } from "./baseline";

export const mandatory = (findings: Finding[]) => findings.filter((f) => !f.exemptedBecause && f.enforcement === "mandatory");

/** The policies with a finding on these objects, sorted. */
export function policiesHit(objects: K8sObject[], config?: PackConfig): string[] {
  return [...new Set(check(objects, { config }).filter((f) => !f.exemptedBecause).map((f) => f.policy))].sort();
}

/** The messages of one policy's findings. */
export const messagesOf = (objects: K8sObject[], policy: string) =>
  check(objects)
    .filter((f) => f.policy === policy)
    .map((f) => f.message);
