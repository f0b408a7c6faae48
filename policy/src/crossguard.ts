import type { PolicyConfigSchema, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { Exemption } from "./config";
import { check, exemptionFor } from "./evaluate";
import { ObjectIndex } from "./objectIndex";
import { rules as allRules } from "./rules";
import type { K8sObject, ObjectRule, Rule, SetRule, Settings } from "./types";

/** The Kubernetes object a Pulumi resource declares, or undefined for other resources. */
export function toObject(type: string, props: Record<string, any>): K8sObject | undefined {
  const m = /^kubernetes:([^:]+):([A-Za-z]+)$/.exec(type);
  if (!m || m[1].startsWith("helm.sh") || m[1].startsWith("yaml") || m[1] === "kustomize") return undefined;
  const [group, version] = m[1].split("/");
  const apiVersion = props.apiVersion ?? (group === "core" ? version : `${group}/${version}`);
  return { ...props, apiVersion, kind: props.kind ?? m[2] };
}

const objectsOf = (resources: PolicyResource[]) =>
  resources.flatMap((r) => {
    const o = toObject(r.type, r.props);
    return o ? [{ object: o, urn: r.urn }] : [];
  });

/** The rule's settings as a CrossGuard config schema, so `--policy-pack-config` validates them. */
function configSchema(rule: Rule): PolicyConfigSchema | undefined {
  if (!rule.settings) return undefined;
  return { properties: Object.fromEntries(Object.entries(rule.settings).map(([k, s]) => [k, { type: s.type, default: s.default, description: s.description }])) };
}

/** The rule's settings from the policy config CrossGuard hands over, defaults filled in. */
function settingsFrom(rule: Rule, given: Record<string, unknown>): Settings {
  return Object.fromEntries(Object.entries(rule.settings ?? {}).map(([k, s]) => [k, (given[k] as Settings[string] | undefined) ?? s.default]));
}

const describe = (rule: Rule) => `${rule.description} [${rule.clause}] Remediation: ${rule.remediation}.`;
const withRemedy = (rule: Rule, message: string) => `${message} -- fix: ${rule.remediation}`;

function resourcePolicy(rule: ObjectRule, exemptions: readonly Exemption[]): ResourceValidationPolicy {
  return {
    name: rule.name,
    description: describe(rule),
    enforcementLevel: rule.level,
    configSchema: configSchema(rule),
    validateResource: (args, reportViolation) => {
      const object = toObject(args.type, args.props);
      if (!object || exemptionFor(exemptions, rule.name, object)) return;
      for (const v of rule.check(object, settingsFrom(rule, args.getConfig<Record<string, unknown>>()))) reportViolation(withRemedy(rule, v.message));
    },
  };
}

function stackPolicy(rule: SetRule, exemptions: readonly Exemption[]): StackValidationPolicy {
  return {
    name: rule.name,
    description: describe(rule),
    enforcementLevel: rule.level,
    configSchema: configSchema(rule),
    validateStack: (args, reportViolation) => {
      const declared = objectsOf(args.resources);
      const urns = new Map(declared.map((d) => [d.object as object, d.urn]));
      for (const { object, violation } of rule.check(new ObjectIndex(declared.map((d) => d.object)), settingsFrom(rule, args.getConfig<Record<string, unknown>>()))) {
        if (exemptionFor(exemptions, rule.name, object)) continue;
        reportViolation(withRemedy(rule, violation.message), urns.get(object));
      }
    },
  };
}

/** Reports every exempted finding, so an exemption is never silent. */
function exemptionsReport(exemptions: readonly Exemption[], rules: readonly Rule[]): StackValidationPolicy {
  return {
    name: "atlas-exemptions",
    description: "Lists every finding suppressed by an explicit exemption (policy/exemptions.yaml), with its reason.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
      if (!exemptions.length) return;
      const declared = objectsOf(args.resources);
      const urns = new Map(declared.map((d) => [d.object as object, d.urn]));
      for (const f of check(declared.map((d) => d.object), { exemptions, rules })) {
        if (f.exemptedBecause) reportViolation(`exempted from ${f.policy}: ${f.message} -- reason: ${f.exemptedBecause}`, urns.get(f.object));
      }
    },
  };
}

/**
 * The CrossGuard policies: rules over one object run per resource; rules over the whole set
 * (egress, secret env, coverage) run once over the stack's resources; plus the exemption report.
 */
export function crossGuardPolicies(exemptions: readonly Exemption[], rules: readonly Rule[] = allRules): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return [...rules.map((r) => (r.scope === "object" ? resourcePolicy(r, exemptions) : stackPolicy(r, exemptions))), exemptionsReport(exemptions, rules)];
}
