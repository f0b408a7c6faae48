import type { K8sObject } from "../../contract/k8s";
import type { ObjectIndex } from "./objectIndex";

export type { K8sObject };

/** How a finding counts: mandatory fails the check, advisory is reported only. */
export type Level = "mandatory" | "advisory";
/** A level, or off: what a pack config may set per policy. */
export type Enforcement = Level | "disabled";

/** One broken clause on one object. */
export interface Violation {
  message: string;
}

/** A setting a rule reads from the pack config (`--policy-pack-config` / `--config`). */
export interface SettingSpec {
  type: "boolean" | "number" | "string";
  default: boolean | number | string;
  description: string;
}

/** A rule's settings, resolved: every declared setting has a value. */
export type Settings = Record<string, boolean | number | string>;

interface RuleBase {
  /** Policy name, stable: used in reports, pack config and exemptions. */
  name: string;
  description: string;
  /** The contract clause (or standard) this rule enforces. */
  clause: string;
  /** The level a finding has unless the pack config sets another. */
  level: Level;
  /** What to do about a finding, said to whoever reads the report. */
  remediation: string;
  /** Settings the rule reads, with their defaults. */
  settings?: Record<string, SettingSpec>;
}

/** Checks one object at a time: runs per resource under CrossGuard. */
export interface ObjectRule extends RuleBase {
  scope: "object";
  check(object: K8sObject, settings: Settings): Violation[];
}

/** A finding of a set rule, attributed to the object it concerns. */
export interface SetFinding {
  object: K8sObject;
  violation: Violation;
}

/** Checks the whole set (egress across NetworkPolicies, ConfigMaps pods load, coverage): a stack policy under CrossGuard. */
export interface SetRule extends RuleBase {
  scope: "set";
  check(index: ObjectIndex, settings: Settings): SetFinding[];
}

export type Rule = ObjectRule | SetRule;
