import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { Exemption } from "./config";
import { check, contextFor, exemptionFor } from "./evaluate";
import { rules } from "./rules";
import type { K8sObject, ObjectRule, SetRule } from "./types";

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

function resourcePolicy(rule: ObjectRule, exemptions: readonly Exemption[]): ResourceValidationPolicy {
  return {
    name: rule.name,
    description: `${rule.description} [${rule.clause}]`,
    enforcementLevel: rule.enforcement,
    validateResource: (args, reportViolation) => {
      const object = toObject(args.type, args.props);
      if (!object || exemptionFor(exemptions, rule.name, object)) return;
      for (const v of rule.check(object, contextFor([object]))) reportViolation(v.message);
    },
  };
}

function stackPolicy(rule: SetRule, exemptions: readonly Exemption[]): StackValidationPolicy {
  return {
    name: rule.name,
    description: `${rule.description} [${rule.clause}]`,
    enforcementLevel: rule.enforcement,
    configSchema: rule.name === "atlas-rollout-crds" ? { properties: { preinstalled: { type: "boolean" } } } : undefined,
    validateStack: (args, reportViolation) => {
      const declared = objectsOf(args.resources);
      const urns = new Map(declared.map((d) => [d.object as object, d.urn]));
      const config = { [rule.name]: args.getConfig<Record<string, unknown>>() };
      for (const { object, violation } of rule.check(contextFor(declared.map((d) => d.object), config))) {
        if (exemptionFor(exemptions, rule.name, object)) continue;
        reportViolation(violation.message, urns.get(object));
      }
    },
  };
}

/** Reports every exempted finding, so an exemption is never silent. */
function exemptionsReport(exemptions: readonly Exemption[]): StackValidationPolicy {
  return {
    name: "atlas-exemptions",
    description: "Lists every finding suppressed by an explicit exemption (policy/exemptions.yaml), with its reason.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
      if (!exemptions.length) return;
      const declared = objectsOf(args.resources);
      const urns = new Map(declared.map((d) => [d.object as object, d.urn]));
      for (const f of check(declared.map((d) => d.object), { exemptions })) {
        if (f.exemptedBecause) reportViolation(`exempted from ${f.policy}: ${f.message} -- reason: ${f.exemptedBecause}`, urns.get(f.object));
      }
    },
  };
}

/** The CrossGuard policies: object rules per resource, set rules over the stack, plus the exemption report. */
export function crossGuardPolicies(exemptions: readonly Exemption[]): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return [
    ...rules.map((r) => (r.scope === "object" ? resourcePolicy(r, exemptions) : stackPolicy(r, exemptions))),
    exemptionsReport(exemptions),
  ];
}
