import { strict as assert } from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { crossGuardPolicies, toObject } from "../../policy/src/crossguard";
import { rules } from "../../policy/src/rules";
import type { K8sObject } from "../support/chart";
import { baseline, server } from "./fixtures";

const typeOf = (o: K8sObject) => {
  const [g, v] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["core", o.apiVersion];
  return `kubernetes:${g}/${v}:${o.kind}`;
};
const resourceArgs = (o: K8sObject) => ({ type: typeOf(o), props: o, urn: `urn:pulumi:s::p::${typeOf(o)}::${o.metadata.name}`, name: o.metadata.name, opts: {}, getConfig: () => ({}) }) as any;
const stackArgs = (objs: K8sObject[], config: Record<string, unknown> = {}) => ({ resources: objs.map(resourceArgs), getConfig: () => config }) as any;

function run(policies: (ResourceValidationPolicy | StackValidationPolicy)[], objs: K8sObject[]): { policy: string; message: string; urn?: string }[] {
  const out: { policy: string; message: string; urn?: string }[] = [];
  for (const p of policies) {
    if ("validateResource" in p) for (const o of objs) (p.validateResource as any)(resourceArgs(o), (message: string) => out.push({ policy: p.name, message }));
    else ((p as StackValidationPolicy).validateStack as any)(stackArgs(objs), (message: string, urn?: string) => out.push({ policy: p.name, message, urn }));
  }
  return out;
}

describe("CrossGuard adapter", () => {
  it("declares one policy per rule plus the exemption report, with the rules' enforcement levels", () => {
    const policies = crossGuardPolicies([]);
    assert.deepEqual(policies.map((p) => p.name), [...rules.map((r) => r.name), "atlas-exemptions"]);
    for (const r of rules) assert.equal(policies.find((p) => p.name === r.name)!.enforcementLevel, r.enforcement);
  });

  it("maps Pulumi Kubernetes resource types to plain objects", () => {
    assert.deepEqual(toObject("kubernetes:core/v1:ConfigMap", { metadata: { name: "a" } }), { metadata: { name: "a" }, apiVersion: "v1", kind: "ConfigMap" });
    assert.equal(toObject("kubernetes:apps/v1:Deployment", {})!.apiVersion, "apps/v1");
    assert.equal(toObject("kubernetes:helm.sh/v4:Chart", {}), undefined);
    assert.equal(toObject("docker:index/image:Image", {}), undefined);
  });

  it("passes a compliant render", () => assert.deepEqual(run(crossGuardPolicies([]), baseline()), []));

  it("reports a resource violation under the rule's name", () => {
    const objs = baseline();
    server(objs).securityContext.readOnlyRootFilesystem = false;
    assert.deepEqual(run(crossGuardPolicies([]), objs), [{ policy: "atlas-read-only-root", message: "containers[server]: readOnlyRootFilesystem is not true" }]);
  });

  it("reports a stack violation against the offending resource's URN", () => {
    const objs = baseline();
    objs.find((o) => o.kind === "NetworkPolicy")!.spec.egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] });
    const [v] = run(crossGuardPolicies([]), objs);
    assert.equal(v.policy, "atlas-egress");
    assert.match(v.message, /allows 0\.0\.0\.0\/0: broad egress/);
    assert.equal(v.urn, "urn:pulumi:s::p::kubernetes:networking.k8s.io/v1:NetworkPolicy::atlas-bijux-atlas");
  });

  it("skips an exempted object and reports the exemption through atlas-exemptions", () => {
    const objs = baseline();
    server(objs).image = "ghcr.io/bijux/bijux-atlas:0.1.0";
    const found = run(crossGuardPolicies([{ policy: "atlas-image-digest", kind: "Deployment", name: "atlas-bijux-atlas", reason: "INC-2" }]), objs);
    assert.deepEqual(found.map((f) => f.policy), ["atlas-exemptions"]);
    assert.match(found[0].message, /exempted from atlas-image-digest: .* -- reason: INC-2/);
  });

  it("reads the Rollout CRD preinstalled setting from the policy's config", () => {
    const policy = crossGuardPolicies([]).find((p) => p.name === "atlas-rollout-crds") as StackValidationPolicy;
    const objs = baseline("all-features");
    const seen: string[] = [];
    (policy.validateStack as any)(stackArgs(objs), (m: string) => seen.push(m));
    assert.equal(seen.length, 1);
    const quiet: string[] = [];
    (policy.validateStack as any)(stackArgs(objs, { preinstalled: true }), (m: string) => quiet.push(m));
    assert.deepEqual(quiet, []);
  });
});
