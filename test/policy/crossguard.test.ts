import { strict as assert } from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { crossGuardPolicies, toObject } from "../../policy/src/crossguard";
import { check } from "../../policy/src/evaluate";
import { rules } from "../../policy/src/rules";
import { asKind, baseline, byKind, K8sObject, networkPolicy, server } from "./support/baseline";

/** The Pulumi type token the kubernetes provider gives an object (the inverse of toObject). */
const typeOf = (o: K8sObject) => {
  const [g, v] = o.apiVersion!.includes("/") ? o.apiVersion!.split("/") : ["core", o.apiVersion!];
  return `kubernetes:${g}/${v}:${o.kind}`;
};
const resourceArgs = (o: K8sObject, config: Record<string, unknown> = {}) =>
  ({ type: typeOf(o), props: o, urn: `urn:pulumi:s::p::${typeOf(o)}::${o.metadata!.name}`, name: o.metadata!.name, opts: {}, getConfig: () => config }) as any;
const stackArgs = (objs: K8sObject[], config: Record<string, unknown> = {}) => ({ resources: objs.map((o) => resourceArgs(o)), getConfig: () => config }) as any;

/** Runs the CrossGuard policies as the analyzer does: resource policies per resource, stack policies once. */
function run(policies: (ResourceValidationPolicy | StackValidationPolicy)[], objs: K8sObject[], config: Record<string, Record<string, unknown>> = {}) {
  const out: { policy: string; message: string; urn?: string }[] = [];
  for (const p of policies) {
    if ("validateResource" in p) for (const o of objs) (p.validateResource as any)(resourceArgs(o, config[p.name]), (message: string) => out.push({ policy: p.name, message }));
    else ((p as StackValidationPolicy).validateStack as any)(stackArgs(objs, config[p.name]), (message: string, urn?: string) => out.push({ policy: p.name, message, urn }));
  }
  return out;
}

describe("CrossGuard adapter", () => {
  it("declares one policy per rule plus the exemption report, with the rules' levels", () => {
    const policies = crossGuardPolicies([]);
    assert.deepEqual(policies.map((p) => p.name), [...rules.map((r) => r.name), "atlas-exemptions"]);
    for (const r of rules) assert.equal(policies.find((p) => p.name === r.name)!.enforcementLevel, r.level);
  });

  it("runs every rule over the whole set as a stack policy, and no other", () => {
    for (const p of crossGuardPolicies([])) {
      const rule = rules.find((r) => r.name === p.name);
      if (rule) assert.equal("validateStack" in p, rule.scope === "set", p.name);
    }
  });

  it("declares each rule's settings as its config schema", () => {
    const p = crossGuardPolicies([]).find((x) => x.name === "atlas-rollout-crds")!;
    assert.deepEqual(Object.keys(p.configSchema?.properties ?? {}), ["preinstalled"]);
  });

  it("maps Pulumi Kubernetes resource types to plain objects", () => {
    assert.deepEqual(toObject("kubernetes:core/v1:ConfigMap", { metadata: { name: "a" } }), { metadata: { name: "a" }, apiVersion: "v1", kind: "ConfigMap" });
    assert.equal(toObject("kubernetes:apps/v1:Deployment", {})!.apiVersion, "apps/v1");
    assert.equal(toObject("kubernetes:helm.sh/v4:Chart", {}), undefined);
    assert.equal(toObject("docker:index/image:Image", {}), undefined);
  });

  it("passes a compliant release", () => assert.deepEqual(run(crossGuardPolicies([]), baseline()), []));

  it("reports a resource violation under the rule's name, with what to do", () => {
    const objs = baseline();
    server(objs).securityContext.readOnlyRootFilesystem = false;
    assert.deepEqual(run(crossGuardPolicies([]), objs), [
      { policy: "atlas-read-only-root", message: `containers[server]: readOnlyRootFilesystem is not true -- fix: ${rules.find((r) => r.name === "atlas-read-only-root")!.remediation}` },
    ]);
  });

  it("reports a stack violation against the offending resource's URN", () => {
    const objs = baseline();
    networkPolicy(objs).spec.egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] });
    const [v] = run(crossGuardPolicies([]), objs);
    assert.equal(v.policy, "atlas-egress");
    assert.match(v.message, /broad egress: it allows 2\^32 IPv4 addresses/);
    assert.equal(v.urn, "urn:pulumi:s::p::kubernetes:networking.k8s.io/v1:NetworkPolicy::atlas-bijux-atlas");
  });

  it("catches at preview what needs the whole set: a credential a pod loads from a ConfigMap with envFrom", () => {
    const objs = baseline();
    byKind(objs, "ConfigMap").data.ATLAS_STORE_S3_BEARER = "token";
    const found = run(crossGuardPolicies([]), objs).filter((f) => f.policy === "atlas-secret-env");
    assert.deepEqual(
      found.map((f) => [f.urn, f.message.replace(/ -- fix: .*/, "")]),
      [
        ["urn:pulumi:s::p::kubernetes:core/v1:ConfigMap::atlas-bijux-atlas", "ConfigMap data holds ATLAS_STORE_S3_BEARER"],
        ["urn:pulumi:s::p::kubernetes:apps/v1:Deployment::atlas-bijux-atlas", "containers[server]: ATLAS_STORE_S3_BEARER reaches the container from ConfigMap atlas-bijux-atlas (envFrom)"],
      ],
    );
  });

  it("finds the same violations as the YAML checker on the same objects", () => {
    const objs = baseline();
    byKind(objs, "ConfigMap").data.ATLAS_CACHED_ONLY_MODE = "true";
    server(objs).securityContext.privileged = true;
    const viaCrossGuard = run(crossGuardPolicies([]), objs).map((f) => f.policy).sort();
    const viaChecker = check(objs).map((f) => f.policy).sort();
    assert.deepEqual(viaCrossGuard, viaChecker);
    assert.ok(viaChecker.includes("atlas-egress") && viaChecker.includes("pss-privileged"));
  });

  it("skips an exempted object and reports the exemption through atlas-exemptions", () => {
    const objs = baseline();
    server(objs).image = "ghcr.io/bijux/bijux-atlas:0.1.0";
    const found = run(crossGuardPolicies([{ policy: "atlas-image-digest", kind: "Deployment", name: "atlas-bijux-atlas", reason: "INC-2" }]), objs);
    assert.deepEqual(found.map((f) => f.policy), ["atlas-exemptions"]);
    assert.match(found[0].message, /exempted from atlas-image-digest: .* -- reason: INC-2/);
  });

  it("reads a rule's settings from its policy config (atlas-rollout-crds: preinstalled)", () => {
    const objs = [asKind("Rollout")];
    const policies = crossGuardPolicies([]).filter((p) => p.name === "atlas-rollout-crds");
    assert.equal(run(policies, objs).length, 1);
    assert.deepEqual(run(policies, objs, { "atlas-rollout-crds": { preinstalled: true } }), []);
  });
});
