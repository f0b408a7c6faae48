import { env, isServerTrue } from "../../../contract/env";
import { AddressSet, describeSize, type Family } from "../../../contract/addresses";
import { broadEgress, broadFamilies, describeEgressLimit, dns, widestEgressPortRange } from "../../../contract/network";
import { containersOf, describeObject, type K8sObject, type PodTemplate } from "../../../contract/k8s";
import { addressesOf, destinationsOf, portCount, portsOf, reachesDns, restrictsEgress, selectsPod } from "../network/policies";
import { namespaceOf, type ObjectIndex } from "../objectIndex";
import type { SetFinding, SetRule } from "../types";

const families: Family[] = ["ipv4", "ipv6"];

/** The value a pod's containers see for an env key: env over envFrom, later sources over earlier ones. */
function envValue(pod: PodTemplate, object: K8sObject, index: ObjectIndex, key: string): unknown[] {
  const values: unknown[] = [];
  const cm = (name: unknown) => (typeof name === "string" ? index.named("ConfigMap", "", namespaceOf(object), name) : undefined);
  for (const { container } of containersOf(pod.spec, { ephemeral: false })) {
    let value: unknown;
    for (const src of Array.isArray(container?.envFrom) ? container.envFrom : []) {
      const data = cm(src?.configMapRef?.name)?.data ?? {};
      const prefix = src?.prefix ?? "";
      for (const [k, v] of Object.entries(data)) if (prefix + k === key) value = v;
    }
    for (const e of Array.isArray(container?.env) ? container.env : []) {
      if (e?.name !== key) continue;
      value = e.value !== undefined ? e.value : e.valueFrom?.configMapKeyRef ? cm(e.valueFrom.configMapKeyRef.name)?.data?.[e.valueFrom.configMapKeyRef.key] : undefined;
    }
    values.push(value);
  }
  return values;
}

/** What one policy allows, and what is wrong with its rules whatever pods it selects. */
interface PolicyAnalysis {
  coverage: Record<Family, AddressSet>;
  /** Rules reaching IP addresses (ipBlock or no `to`), for cached-only mode. */
  addressRules: string[];
  problems: string[];
}

function analyse(policy: K8sObject): PolicyAnalysis {
  const rules: any[] = Array.isArray(policy.spec?.egress) ? policy.spec.egress : [];
  const coverage: PolicyAnalysis["coverage"] = { ipv4: AddressSet.empty("ipv4"), ipv6: AddressSet.empty("ipv6") };
  const addressRules: string[] = [];
  const problems: string[] = [];
  rules.forEach((rule, i) => {
    const at = `egress[${i}]`;
    const ports = portsOf(rule);
    const dests = destinationsOf(rule);
    for (const f of families) for (const d of dests) coverage[f] = coverage[f].union(addressesOf(d, f));
    if (!Array.isArray(rule?.ports) || rule.ports.length === 0) problems.push(`${at} has no ports: it allows every port`);
    else
      ports.forEach((g, k) => {
        const entry = rule.ports[k];
        if (entry?.port === undefined || entry.port === null) problems.push(`${at}.ports[${k}] has no port: it allows every ${g.protocol} port`);
        else if ("from" in g && portCount(g) > widestEgressPortRange)
          problems.push(`${at}.ports[${k}] opens ${g.protocol} ports ${g.from}-${g.to} (${portCount(g)} ports), more than the widest explicit range of ${widestEgressPortRange} ports`);
      });
    const dnsPorts = Array.isArray(rule?.ports) && rule.ports.length > 0 && ports.some(reachesDns);
    dests.forEach((d, j) => {
      const pat = Array.isArray(rule?.to) && rule.to.length ? `${at}.to[${j}]` : at;
      switch (d.kind) {
        case "everywhere":
          addressRules.push(`${at} (no 'to': every destination)`);
          if (dnsPorts) problems.push(`${at}: DNS (port ${dns.port}) egress to every destination; DNS is allowed only to ${dns.namespace}`);
          break;
        case "addresses":
          addressRules.push(`${pat} (${d.cidr})`);
          if (dnsPorts) problems.push(`${pat}: DNS (port ${dns.port}) egress goes to ${d.cidr}; DNS is allowed only to ${dns.namespace}`);
          break;
        case "invalid-cidr":
          problems.push(`${pat}: ipBlock.cidr ${JSON.stringify(d.cidr)} is not an IPv4 or IPv6 CIDR`);
          break;
        case "namespaces":
          if (d.names === "all") problems.push(`${pat} has an empty namespaceSelector: every namespace`);
          else if (d.names === "by-labels") problems.push(`${pat} selects namespaces by labels other than ${dns.namespaceNameLabel}; name them explicitly`);
          else if (dnsPorts && d.names.some((n) => n !== dns.namespace)) problems.push(`${pat}: DNS (port ${dns.port}) egress to ${d.names.join(", ")}; DNS is allowed only to ${dns.namespace}`);
          break;
        case "own-namespace-pods":
          if (dnsPorts && namespaceOf(policy) !== dns.namespace) problems.push(`${pat}: DNS (port ${dns.port}) egress to pods of ${namespaceOf(policy)}; DNS is allowed only to ${dns.namespace}`);
          break;
        default:
          problems.push(`${pat} is not an ipBlock, a namespaceSelector or a podSelector`);
      }
    });
  });
  return { coverage, addressRules, problems };
}

const limits = families.map((f) => `${broadEgress[f].family} /${broadEgress[f].widestPrefix}`).join(" and ");

const rule: SetRule = {
  name: "atlas-egress",
  description: `Every atlas pod is selected by a NetworkPolicy restricting egress; together the policies reach at most one ${limits} of addresses, DNS only in ${dns.namespace}, named namespaces, explicit ports (a range of at most ${widestEgressPortRange}); no IP egress in cached-only mode.`,
  clause: `Network Policy: default deny egress; optional DNS egress to ${dns.namespace}; explicit egress CIDR allowlist; no broad egress permit. Offline profile: tightened network policy`,
  level: "mandatory",
  remediation: `allow egress only to the catalog and store endpoints, as narrow CIDRs (together within one ${limits}) or namespaces named by ${dns.namespaceNameLabel}, each with explicit ports (a range of at most ${widestEgressPortRange} ports); DNS only to ${dns.namespace}; none to IP addresses when ${env.cachedOnlyMode}=true`,
  scope: "set",
  check(index) {
    const out: SetFinding[] = [];
    const reported = new Set<string>();
    const report = (object: K8sObject, message: string) => {
      const key = `${describeObject(object)}\0${message}`;
      if (reported.has(key)) return;
      reported.add(key);
      out.push({ object, violation: { message } });
    };
    const analyses = new Map<K8sObject, PolicyAnalysis>();
    const analysisOf = (p: K8sObject) => analyses.get(p) ?? analyses.set(p, analyse(p)).get(p)!;

    for (const { object, pod } of index.atlasWorkloads()) {
      const labels = pod.metadata.labels ?? {};
      const selecting = index.inNamespace("NetworkPolicy", "networking.k8s.io", namespaceOf(object)).filter((p) => restrictsEgress(p) && selectsPod(p, labels));
      if (!selecting.length) {
        report(object, `atlas pods of ${describeObject(object)} are not selected by any NetworkPolicy whose policyTypes include Egress (policyTypes defaults to Ingress only when egress has no rules)`);
        continue;
      }
      const cachedOnly = envValue(pod, object, index, env.cachedOnlyMode).some(isServerTrue);
      for (const p of selecting) {
        const a = analysisOf(p);
        for (const m of a.problems) report(p, m);
        if (cachedOnly) for (const r of a.addressRules) report(p, `${r} allows IP egress although ${env.cachedOnlyMode}=true (cached-only: no CIDR egress at all)`);
      }
      // Policies are additive: what the pods may reach is the union of every selecting policy.
      const union = Object.fromEntries(families.map((f) => [f, selecting.map((p) => analysisOf(p).coverage[f]).reduce((x, y) => x.union(y))])) as PolicyAnalysis["coverage"];
      for (const f of broadFamilies(union)) {
        const alone = selecting.find((p) => broadFamilies(analysisOf(p).coverage).includes(f));
        const size = describeSize(union[f].size());
        const max = describeEgressLimit(f);
        if (alone) report(alone, `broad egress: it allows ${describeSize(analysisOf(alone).coverage[f].size())} ${broadEgress[f].family} addresses, more than ${max}`);
        else report(object, `broad egress: together, NetworkPolicies ${selecting.map((p) => p.metadata?.name).join(", ")} let atlas pods of ${describeObject(object)} reach ${size} ${broadEgress[f].family} addresses, more than ${max}`);
      }
    }
    return out;
  },
};

export default rule;
