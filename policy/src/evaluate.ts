import { enforcementOf, Exemption, PackConfig, settingsOf } from "./config";
import { rules } from "./rules";
import type { Enforcement, K8sObject, Rule, RuleContext } from "./types";

export interface Finding {
  policy: string;
  enforcement: Exclude<Enforcement, "disabled">;
  object: K8sObject;
  message: string;
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

export function contextFor(objects: readonly K8sObject[], config: PackConfig = {}): RuleContext {
  return { objects, rolloutCrdsPreinstalled: settingsOf("atlas-rollout-crds", config).preinstalled === true };
}

/** Runs the pack over a set of objects: every finding, exempted ones marked. */
export function check(objects: readonly K8sObject[], opts: CheckOptions = {}): Finding[] {
  const context = contextFor(objects, opts.config);
  const findings: Finding[] = [];
  for (const rule of opts.rules ?? rules) {
    const enforcement = enforcementOf(rule, opts.config);
    if (enforcement === "disabled") continue;
    const raw =
      rule.scope === "object"
        ? objects.flatMap((object) => rule.check(object, context).map((v) => ({ object, violation: v })))
        : rule.check(context);
    for (const { object, violation } of raw) {
      const ex = exemptionFor(opts.exemptions ?? [], rule.name, object);
      findings.push({ policy: rule.name, enforcement, object, message: violation.message, exemptedBecause: ex?.reason });
    }
  }
  return findings;
}

export const counts = (findings: readonly Finding[]) => ({
  mandatory: findings.filter((f) => !f.exemptedBecause && f.enforcement === "mandatory").length,
  advisory: findings.filter((f) => !f.exemptedBecause && f.enforcement === "advisory").length,
  exempted: findings.filter((f) => f.exemptedBecause).length,
});
