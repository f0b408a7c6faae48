import type { K8sObject } from "../../contract/k8s";

export type { K8sObject };

export type Enforcement = "mandatory" | "advisory" | "disabled";

/** One broken clause on one object. */
export interface Violation {
  message: string;
}

/** What a rule may know besides the object: the whole set of objects being checked. */
export interface RuleContext {
  objects: readonly K8sObject[];
  /** Argo Rollouts CRDs are installed outside this set (platform add-on). */
  rolloutCrdsPreinstalled: boolean;
}

interface RuleBase {
  /** Policy name, stable: used in reports, pack config and exemptions. */
  name: string;
  description: string;
  /** The contract clause (or standard) this rule enforces. */
  clause: string;
  enforcement: Exclude<Enforcement, "disabled">;
}

/** Checks one object at a time (pod-bearing objects, ConfigMaps, ...). */
export interface ObjectRule extends RuleBase {
  scope: "object";
  check(object: K8sObject, context: RuleContext): Violation[];
}

/** Checks the whole set (egress across NetworkPolicies, HPA/PDB coverage, CRD presence). */
export interface SetRule extends RuleBase {
  scope: "set";
  /** Violations, each attributed to the object it concerns. */
  check(context: RuleContext): { object: K8sObject; violation: Violation }[];
}

export type Rule = ObjectRule | SetRule;
