import { enforcementOf, Exemption, PackConfig, settingsOf } from "./config";
import { ObjectIndex } from "./objectIndex";
import { rules as allRules } from "./rules";
import type { K8sObject, Level, Rule } from "./types";

export interface Finding {
  policy: string;
  enforcement: Level;
  object: K8sObject;
  message: string;
  /** What to do about it (the rule's remediation). */
  remediation: string;
  /** Reason of the exemption that covers this finding, if any (it then does not count). */
  exemptedBecause?: string;
}

export interface CheckOptions {
  config?: PackConfig;
  exemptions?: readonly Exemption[];
  /** The rules to run (default: the whole pack). */
  rules?: readonly Rule[];
}

export function exemptionFor(exemptions: readonly Exemption[], policy: string, object: K8sObject): Exemption | undefined {
  return exemptions.find(
    (e) => e.policy === policy && e.kind === object.kind && e.name === object.metadata?.name && (e.namespace === undefined || e.namespace === (object.metadata?.namespace ?? "default")),
  );
}

/** Runs the pack over a set of objects: every finding, exempted ones marked. */
export function check(objects: readonly K8sObject[], opts: CheckOptions = {}): Finding[] {
  const index = new ObjectIndex(objects);
  const findings: Finding[] = [];
  for (const rule of opts.rules ?? allRules) {
    const enforcement = enforcementOf(rule, opts.config);
    if (enforcement === "disabled") continue;
    const settings = settingsOf(rule, opts.config);
    const raw =
      rule.scope === "object"
        ? objects.flatMap((object) => rule.check(object, settings).map((violation) => ({ object, violation })))
        : rule.check(index, settings);
    for (const { object, violation } of raw) {
      const ex = exemptionFor(opts.exemptions ?? [], rule.name, object);
      findings.push({ policy: rule.name, enforcement, object, message: violation.message, remediation: rule.remediation, exemptedBecause: ex?.reason });
    }
  }
  return findings;
}

export const counts = (findings: readonly Finding[]) => ({
  mandatory: findings.filter((f) => !f.exemptedBecause && f.enforcement === "mandatory").length,
  advisory: findings.filter((f) => !f.exemptedBecause && f.enforcement === "advisory").length,
  exempted: findings.filter((f) => f.exemptedBecause).length,
});
