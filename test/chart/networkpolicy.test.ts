import { strict as assert } from "assert";
import { K8sObject, profiles, renderProfile } from "../../lib/chartProfiles";
import { podSpecOf, renderChart } from "../support/chart";

const policyOf = (objs: K8sObject[]) => objs.find((o) => o.kind === "NetworkPolicy")!;
const selects = (policy: K8sObject, labels: Record<string, string>) =>
  Object.entries(policy.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v);

describe("chart: NetworkPolicy (deny egress except explicit rules)", () => {
  for (const profile of profiles) {
    const objs = renderProfile(profile.name);
    const policy = policyOf(objs);

    it(`${profile.name}: selects every atlas pod and includes Egress in policyTypes`, () => {
      assert.ok(policy.spec.policyTypes.includes("Egress"));
      for (const obj of objs) {
        const pod = podSpecOf(obj);
        if (pod) assert.ok(selects(policy, pod.metadata.labels), `${obj.kind}/${obj.metadata.name} not selected`);
      }
    });

    it(`${profile.name}: every egress rule has a peer and explicit ports`, () => {
      for (const rule of policy.spec.egress) {
        assert.ok(rule.to?.length, "rule without `to` is broad egress");
        assert.ok(rule.ports?.length, "rule without ports");
      }
    });

    it(`${profile.name}: no 0.0.0.0/0, no ::/0, no empty namespaceSelector`, () => {
      for (const rule of policy.spec.egress) {
        for (const peer of rule.to) {
          assert.ok(!["0.0.0.0/0", "::/0"].includes(peer.ipBlock?.cidr));
          if (peer.namespaceSelector) assert.ok(Object.keys(peer.namespaceSelector.matchLabels ?? {}).length > 0);
        }
      }
    });
  }

  it("allows DNS only to kube-system on port 53 UDP and TCP", () => {
    const [dns] = policyOf(renderProfile("default")).spec.egress;
    assert.deepEqual(dns.to, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }]);
    assert.deepEqual(dns.ports, [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }]);
  });

  it("without egress CIDRs nothing but DNS leaves the pods", () => {
    assert.equal(policyOf(renderProfile("offline")).spec.egress.length, 1);
  });

  it("renders each allowlisted CIDR with its ports", () => {
    const egress = policyOf(renderProfile("store-credentials")).spec.egress;
    assert.deepEqual(egress[1], { to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ port: 443, protocol: "TCP" }] });
    assert.deepEqual(egress[2], { to: [{ ipBlock: { cidr: "fd00:20::/48" } }], ports: [{ port: 443, protocol: "TCP" }] });
  });

  it("offline allows no CIDR egress at all", () => {
    assert.ok(policyOf(renderProfile("offline")).spec.egress.every((r: any) => r.to.every((p: any) => !p.ipBlock)));
  });

  it("drops the DNS rule when networkPolicy.dns.enabled is false, leaving egress denied", () => {
    const policy = policyOf(renderChart({ valuesFiles: ["values-offline.yaml"], values: { networkPolicy: { dns: { enabled: false } } } }));
    assert.ok(policy.spec.policyTypes.includes("Egress"));
    assert.deepEqual(policy.spec.egress, []);
  });

  it("admits ingress on the service port from the namespace and the monitoring namespace", () => {
    const [rule] = policyOf(renderProfile("default")).spec.ingress;
    assert.deepEqual(rule.ports, [{ port: "http", protocol: "TCP" }]);
    assert.deepEqual(rule.from, [{ podSelector: {} }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }]);
  });
});
