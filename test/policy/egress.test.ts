import { strict as assert } from "assert";
import { broadEgress, maxEgressAddresses, widestEgressPortRange } from "../../contract/network";
import { AddressSet, parseCidr } from "../../contract/addresses";
import { policyTypes, portCount, portsOf } from "../../policy/src/network/policies";
import { check } from "../../policy/src/evaluate";
import { baseline, K8sObject, namespace, networkPolicy, podLabels } from "./support/baseline";
import { messagesOf } from "./support/findings";

const cidrSet = (...cidrs: string[]) => cidrs.map((c) => AddressSet.ofCidr(parseCidr(c)!)).reduce((a, b) => a.union(b));
const egressTo = (...cidrs: string[]) => ({ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 443 }] });
const extraPolicy = (name: string, spec: any): K8sObject => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec: { podSelector: { matchLabels: { ...podLabels } }, ...spec } });
const egressFindings = (objs: K8sObject[]) => messagesOf(objs, "atlas-egress");

describe("egress: address arithmetic", () => {
  it("counts a CIDR's addresses after its except blocks", () => {
    const set = AddressSet.ofCidr(parseCidr("10.0.0.0/8")!).minus(cidrSet("10.0.0.0/9"));
    assert.equal(set.size(), 1n << 23n);
  });

  it("merges overlapping and adjacent CIDRs", () => assert.equal(cidrSet("0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8").size(), 1n << 32n));

  it("masks host bits as the kernel does (10.1.2.3/8 is 10.0.0.0/8)", () => assert.equal(cidrSet("10.1.2.3/8").size(), 1n << 24n));

  it("reads IPv6, IPv4 with leading zeros, and refuses what is not a CIDR", () => {
    assert.equal(cidrSet("2001:db8::/32").size(), 1n << 96n);
    assert.equal(parseCidr("010.0.0.0/8")!.address, 10n << 24n);
    for (const bad of ["10.0.0.0", "10.0.0.0/33", "::/129", "example.org/8", "10.0.0/8"]) assert.equal(parseCidr(bad), undefined, bad);
  });

  it("states the broad-egress threshold: one IPv4 /16 and one IPv6 /48", () => {
    assert.equal(maxEgressAddresses("ipv4"), 1n << 16n);
    assert.equal(maxEgressAddresses("ipv6"), 1n << 80n);
    assert.deepEqual([broadEgress.ipv4.widestPrefix, broadEgress.ipv6.widestPrefix], [16, 48]);
  });
});

describe("egress: NetworkPolicy semantics", () => {
  const np = (spec: any): K8sObject => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "x" }, spec });
  it("defaults policyTypes to Ingress plus Egress when egress rules exist", () => assert.deepEqual(policyTypes(np({ egress: [{}] })), ["Ingress", "Egress"]));
  it("defaults policyTypes to Ingress only when egress is empty", () => assert.deepEqual(policyTypes(np({ egress: [] })), ["Ingress"]));
  it("defaults an empty policyTypes list like a missing one", () => assert.deepEqual(policyTypes(np({ policyTypes: [], egress: [{}] })), ["Ingress", "Egress"]));
  it("keeps policyTypes as written", () => assert.deepEqual(policyTypes(np({ policyTypes: ["Egress"] })), ["Egress"]));
  it("reads missing ports as every port of every protocol", () => assert.deepEqual(portsOf({}).map((p: any) => [p.protocol, p.from, p.to]), [["TCP", 1, 65535], ["UDP", 1, 65535], ["SCTP", 1, 65535]]));
  it("reads a port entry without a port as every port of its protocol", () => assert.deepEqual(portsOf({ ports: [{ protocol: "UDP" }] }), [{ protocol: "UDP", from: 1, to: 65535 }]));
  it("reads endPort as a range and a name as a named port", () =>
    assert.deepEqual(portsOf({ ports: [{ port: 8000, endPort: 8080 }, { port: "dns" }] }), [
      { protocol: "TCP", from: 8000, to: 8080 },
      { protocol: "TCP", named: "dns" },
    ]));
  it("counts the ports of a range, both ends included", () => assert.equal(portCount(portsOf({ ports: [{ port: 8000, endPort: 8080 }] })[0]), 81));
});

describe("egress: what the atlas-egress rule refuses", () => {
  const refuses = (name: string, mutate: (objs: K8sObject[]) => void, pattern: RegExp, opts: { cachedOnly?: boolean } = {}) =>
    it(`refuses ${name}`, () => {
      const objs = baseline(opts);
      mutate(objs);
      const found = egressFindings(objs);
      assert.ok(found.some((m) => pattern.test(m)), JSON.stringify(found));
    });
  const admits = (name: string, mutate: (objs: K8sObject[]) => void, opts: { cachedOnly?: boolean } = {}) =>
    it(`admits ${name}`, () => {
      const objs = baseline(opts);
      mutate(objs);
      assert.deepEqual(egressFindings(objs), []);
    });

  refuses("0.0.0.0/0", (o) => networkPolicy(o).spec.egress.push(egressTo("0.0.0.0/0")), /broad egress: it allows 2\^32 IPv4 addresses/);
  refuses("::/0", (o) => networkPolicy(o).spec.egress.push(egressTo("::/0")), /broad egress: it allows 2\^128 IPv6 addresses/);
  refuses("two /1 halves that together cover all IPv4", (o) => networkPolicy(o).spec.egress.push(egressTo("0.0.0.0/1", "128.0.0.0/1")), /broad egress/);
  refuses("a /15", (o) => (networkPolicy(o).spec.egress[1] = egressTo("10.0.0.0/15")), /2\^17 IPv4 addresses, more than 2\^16/);
  refuses("an IPv6 /47", (o) => networkPolicy(o).spec.egress.push(egressTo("2001:db8::/47")), /IPv6 addresses, more than 2\^80/);
  refuses(
    "/17s in separate policies that together exceed a /16",
    (o) => o.push(extraPolicy("a", { policyTypes: ["Egress"], egress: [egressTo("10.0.0.0/17", "10.1.0.0/17")] }), extraPolicy("b", { policyTypes: ["Egress"], egress: [egressTo("10.2.0.0/17")] })),
    /together, NetworkPolicies atlas-bijux-atlas, a, b let atlas pods of Deployment atlas\/atlas-bijux-atlas reach/,
  );
  refuses("a rule without 'to' (every destination)", (o) => networkPolicy(o).spec.egress.push({ ports: [{ port: 443 }] }), /broad egress/);
  refuses("a rule without ports", (o) => networkPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.1.2.3/32" } }] }), /egress\[2\] has no ports: it allows every port/);
  const portRange = (port: number, endPort: number, protocol = "TCP") => ({ to: [{ ipBlock: { cidr: "10.1.2.3/32" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol, port, endPort }] });
  refuses("a port entry without a port", (o) => networkPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.1.2.3/32" } }], ports: [{ protocol: "TCP" }] }), /egress\[2\]\.ports\[0\] has no port: it allows every TCP port/);
  refuses("a port range over every port", (o) => networkPolicy(o).spec.egress.push(portRange(1, 65535)), /egress\[2\]\.ports\[1\] opens TCP ports 1-65535 \(65535 ports\), more than the widest explicit range of 1024 ports/);
  refuses("a port range over every port but one (2-65535)", (o) => networkPolicy(o).spec.egress.push(portRange(2, 65535, "UDP")), /opens UDP ports 2-65535 \(65534 ports\)/);
  refuses(`a port range one wider than the widest explicit range (${widestEgressPortRange + 1} ports)`, (o) => networkPolicy(o).spec.egress.push(portRange(9000, 9000 + widestEgressPortRange)), /opens TCP ports 9000-10024 \(1025 ports\)/);
  refuses("an empty namespaceSelector", (o) => networkPolicy(o).spec.egress.push({ to: [{ namespaceSelector: {} }], ports: [{ port: 443 }] }), /empty namespaceSelector: every namespace/);
  refuses("namespaces selected by other labels", (o) => networkPolicy(o).spec.egress.push({ to: [{ namespaceSelector: { matchLabels: { team: "x" } } }], ports: [{ port: 443 }] }), /name them explicitly/);
  refuses("DNS to a namespace other than kube-system", (o) => (networkPolicy(o).spec.egress[0].to[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"] = "dns-system"), /DNS \(port 53\) egress to dns-system/);
  refuses("DNS to a CIDR through a port range", (o) => networkPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "8.8.8.8/32" } }], ports: [{ protocol: "UDP", port: 50, endPort: 60 }] }), /DNS \(port 53\) egress goes to 8\.8\.8\.8\/32/);
  refuses("a policy whose egress is empty and policyTypes omitted (it does not restrict egress)", (o) => ((networkPolicy(o).spec.egress = []), delete networkPolicy(o).spec.policyTypes), /not selected by any NetworkPolicy whose policyTypes include Egress/);
  refuses("policyTypes Ingress only", (o) => (networkPolicy(o).spec.policyTypes = ["Ingress"]), /not selected by any NetworkPolicy/);
  refuses("a policy selecting other pods", (o) => (networkPolicy(o).spec.podSelector = { matchLabels: { app: "other" } }), /not selected by any NetworkPolicy/);
  refuses("a NetworkPolicy in another namespace", (o) => (networkPolicy(o).metadata!.namespace = "elsewhere"), /not selected by any NetworkPolicy/);
  refuses("an invalid CIDR", (o) => networkPolicy(o).spec.egress.push(egressTo("10.0.0.0/40")), /is not an IPv4 or IPv6 CIDR/);
  refuses("a broad allow in another policy that selects every pod (policies are additive)", (o) => o.push(extraPolicy("allow-all", { podSelector: {}, policyTypes: ["Egress"], egress: [{}] })), /broad egress/);
  refuses("CIDR egress in cached-only mode", (o) => networkPolicy(o).spec.egress.push(egressTo("10.1.0.0/16")), /allows IP egress although ATLAS_CACHED_ONLY_MODE=true/, { cachedOnly: true });
  refuses("CIDR egress when cached-only comes from an env value", (o) => {
    networkPolicy(o).spec.egress.push(egressTo("10.1.0.0/24"));
    o.find((x) => x.kind === "Deployment")!.spec.template.spec.containers[0].env = [{ name: "ATLAS_CACHED_ONLY_MODE", value: "yes" }];
  }, /allows IP egress although ATLAS_CACHED_ONLY_MODE=true/);

  admits("a /16 allowlist (the threshold)", (o) => (networkPolicy(o).spec.egress[1] = egressTo("10.0.0.0/16")));
  admits("a /8 with except blocks leaving a /16", (o) =>
    (networkPolicy(o).spec.egress[1] = { to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.128.0.0/9", "10.64.0.0/10", "10.32.0.0/11", "10.16.0.0/12", "10.8.0.0/13", "10.4.0.0/14", "10.2.0.0/15", "10.1.0.0/16"] } }], ports: [{ port: 443 }] }),
  );
  refuses("a /16 plus one more address", (o) => networkPolicy(o).spec.egress.push(egressTo("10.0.0.0/16")), /65537 IPv4 addresses, more than 2\^16/);
  admits(`a port range of exactly the widest explicit range (${widestEgressPortRange} ports)`, (o) =>
    networkPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.1.2.3/32" } }], ports: [{ port: 9000, endPort: 9000 + widestEgressPortRange - 1 }] }),
  );
  admits("an IPv6 /48", (o) => networkPolicy(o).spec.egress.push(egressTo("2001:db8:1::/48")));
  admits("a named namespace with ports", (o) => networkPolicy(o).spec.egress.push({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "catalog" } } }], ports: [{ port: 443 }] }));
  admits("pods of the own namespace with a port range", (o) => networkPolicy(o).spec.egress.push({ to: [{ podSelector: { matchLabels: { app: "store" } } }], ports: [{ port: 9000, endPort: 9010 }] }));
  admits("policyTypes omitted with egress rules (defaulted to Egress)", (o) => delete networkPolicy(o).spec.policyTypes);
  admits("a missing podSelector (every pod of the namespace)", (o) => delete networkPolicy(o).spec.podSelector);
  admits("cached-only with DNS only", () => undefined, { cachedOnly: true });

  it("reports a broad policy once, however many workloads it selects", () => {
    const objs = baseline();
    const second = structuredClone(objs.find((o) => o.kind === "Deployment")!);
    second.metadata = { ...second.metadata, name: "second" };
    objs.push(second);
    networkPolicy(objs).spec.egress.push(egressTo("0.0.0.0/0"));
    assert.equal(check(objs).filter((f) => f.policy === "atlas-egress").length, 1);
  });
});
