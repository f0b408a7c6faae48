/**
 * What NetworkPolicies allow a pod to send, as Kubernetes defines it: policyTypes defaulted from
 * the presence of egress rules, an empty `to` meaning every destination, missing ports meaning
 * every port, port ranges with endPort, ipBlock minus except, and the union of every policy that
 * selects the pod (policies are additive).
 */
import { dns } from "../../../contract/network";
import { selects, type K8sObject } from "../../../contract/k8s";
import { AddressSet, Family, parseCidr } from "../../../contract/addresses";

/** The policyTypes in force: as written, or Ingress plus Egress when egress rules exist (the API server's defaulting). */
export function policyTypes(policy: K8sObject): string[] {
  const written = policy.spec?.policyTypes;
  if (Array.isArray(written) && written.length > 0) return written;
  const egress = policy.spec?.egress;
  return Array.isArray(egress) && egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** Whether a policy isolates the pods it selects for egress. */
export const restrictsEgress = (policy: K8sObject) => policyTypes(policy).includes("Egress");

/** Whether a policy selects pods with these labels (a missing podSelector is the empty selector: every pod). */
export const selectsPod = (policy: K8sObject, labels: Record<string, string>) => selects(policy.spec?.podSelector ?? {}, labels);

/** One port entry as allowed: a protocol and a numeric range, or a named port of the destination. */
export type PortGrant = { protocol: string; from: number; to: number } | { protocol: string; named: string };

/** How many ports a grant opens (a named port is one port of the destination). */
export const portCount = (g: PortGrant) => ("from" in g ? g.to - g.from + 1 : 1);

/** The ports a rule allows; a rule without ports allows every port of every protocol. */
export function portsOf(rule: any): PortGrant[] {
  const ports = Array.isArray(rule?.ports) ? rule.ports : [];
  if (ports.length === 0) return ["TCP", "UDP", "SCTP"].map((protocol) => ({ protocol, from: 1, to: 65535 }));
  return ports.map((p: any): PortGrant => {
    const protocol = typeof p?.protocol === "string" ? p.protocol : "TCP";
    if (p?.port === undefined || p.port === null) return { protocol, from: 1, to: 65535 };
    if (typeof p.port === "string" && !/^[0-9]+$/.test(p.port)) return { protocol, named: p.port };
    const from = Number(p.port);
    const to = typeof p.endPort === "number" ? Math.max(p.endPort, from) : from;
    return { protocol, from, to };
  });
}

/** Whether a port grant reaches DNS (port 53, or a port the DNS pods name dns / dns-tcp). */
export const reachesDns = (g: PortGrant) => ("named" in g ? g.named === "dns" || g.named === "dns-tcp" : g.from <= dns.port && g.to >= dns.port);

/** A destination of a rule, in the terms the contract speaks of. */
export type Destination =
  | { kind: "everywhere" }
  | { kind: "addresses"; cidr: string; sets: AddressSet[] }
  | { kind: "invalid-cidr"; cidr: string }
  | { kind: "namespaces"; names: string[] | "all" | "by-labels"; pods: boolean }
  | { kind: "own-namespace-pods" }
  | { kind: "unknown" };

/** The destinations of a rule; a rule without `to` reaches everywhere. */
export function destinationsOf(rule: any): Destination[] {
  const peers = Array.isArray(rule?.to) ? rule.to : [];
  if (peers.length === 0) return [{ kind: "everywhere" }];
  return peers.map((peer: any): Destination => {
    if (peer?.ipBlock) {
      const cidr = String(peer.ipBlock.cidr ?? "");
      const parsed = parseCidr(cidr);
      if (!parsed) return { kind: "invalid-cidr", cidr };
      let set = AddressSet.ofCidr(parsed);
      for (const e of Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : []) {
        const ex = parseCidr(String(e));
        if (ex && ex.family === parsed.family) set = set.minus(AddressSet.ofCidr(ex));
      }
      return { kind: "addresses", cidr, sets: [set] };
    }
    if (peer?.namespaceSelector !== undefined && peer.namespaceSelector !== null) {
      return { kind: "namespaces", names: namespaceNames(peer.namespaceSelector), pods: true };
    }
    if (peer?.podSelector !== undefined && peer.podSelector !== null) return { kind: "own-namespace-pods" };
    return { kind: "unknown" };
  });
}

/**
 * The namespaces a namespaceSelector selects, when it names them by kubernetes.io/metadata.name;
 * "all" for the empty selector, "by-labels" when it selects by other labels.
 */
export function namespaceNames(selector: any): string[] | "all" | "by-labels" {
  const labels = selector?.matchLabels ?? {};
  const exprs: any[] = Array.isArray(selector?.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(labels).length === 0 && exprs.length === 0) return "all";
  const key = dns.namespaceNameLabel;
  const sets: string[][] = [];
  if (labels[key] !== undefined) sets.push([labels[key]]);
  for (const e of exprs) if (e?.key === key && e.operator === "In") sets.push(Array.isArray(e.values) ? e.values : []);
  if (!sets.length) return "by-labels";
  return sets.reduce((a, b) => a.filter((n) => b.includes(n)));
}

/** The IP addresses of each family a destination covers. */
export function addressesOf(d: Destination, family: Family): AddressSet {
  if (d.kind === "everywhere") return AddressSet.all(family);
  if (d.kind === "addresses") return d.sets.filter((s) => s.family === family).reduce((a, b) => a.union(b), AddressSet.empty(family));
  return AddressSet.empty(family);
}
