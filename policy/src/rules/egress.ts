import { atlasPodTemplateOf, describe as describeObject, isKind } from "../pods";
import { isEmptySelector, namedNamespaces, selects } from "../selectors";
import type { K8sObject, RuleContext, SetRule } from "../types";

const ns = (o: K8sObject) => o.metadata?.namespace ?? "default";
const broadCidr = (cidr: string) => /\/0+$/.test(cidr.trim());

/** Whether a NetworkPolicy restricts egress (policyTypes lists Egress, or omits policyTypes but has egress rules). */
export function restrictsEgress(policy: K8sObject): boolean {
  const types = policy.spec?.policyTypes;
  return Array.isArray(types) ? types.includes("Egress") : policy.spec?.egress !== undefined;
}

/** The ConfigMaps an atlas pod template loads, to find ATLAS_CACHED_ONLY_MODE. */
function cachedOnly(object: K8sObject, context: RuleContext): boolean {
  const pod = atlasPodTemplateOf(object)!;
  const refs = new Set<string>();
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    for (const src of c?.envFrom ?? []) if (src?.configMapRef?.name) refs.add(src.configMapRef.name);
    for (const e of c?.env ?? []) if (e?.name === "ATLAS_CACHED_ONLY_MODE" && String(e.value).toLowerCase() === "true") return true;
  }
  return context.objects.some(
    (o) => isKind(o, "ConfigMap", "") && ns(o) === ns(object) && refs.has(o.metadata?.name ?? "") && String(o.data?.ATLAS_CACHED_ONLY_MODE).toLowerCase() === "true",
  );
}

function ruleProblems(rule: any, i: number, offline: boolean): string[] {
  const at = `egress[${i}]`;
  const out: string[] = [];
  const peers: any[] = Array.isArray(rule?.to) ? rule.to : [];
  const ports: any[] = Array.isArray(rule?.ports) ? rule.ports : [];
  if (!peers.length) out.push(`${at} has no 'to': it allows every destination`);
  if (!ports.length) out.push(`${at} has no ports: it allows every port`);
  const isDns = ports.some((p) => Number(p?.port) === 53 || p?.port === "dns" || p?.port === "dns-tcp");
  for (const [j, peer] of peers.entries()) {
    const pat = `${at}.to[${j}]`;
    if (peer?.ipBlock) {
      const cidr = String(peer.ipBlock.cidr ?? "");
      if (broadCidr(cidr)) out.push(`${pat} allows ${cidr}: broad egress`);
      else if (offline) out.push(`${pat} allows CIDR ${cidr} although ATLAS_CACHED_ONLY_MODE=true (offline: no CIDR egress at all)`);
      if (isDns) out.push(`${pat}: DNS (port 53) egress goes to ${cidr}; DNS is allowed only to kube-system`);
      continue;
    }
    if (peer?.namespaceSelector !== undefined) {
      if (isEmptySelector(peer.namespaceSelector)) {
        out.push(`${pat} has an empty namespaceSelector: every namespace`);
        continue;
      }
      const names = namedNamespaces(peer.namespaceSelector);
      if (!names?.length) out.push(`${pat} selects namespaces by labels other than kubernetes.io/metadata.name; name them explicitly`);
      else if (isDns && names.some((n) => n !== "kube-system")) out.push(`${pat}: DNS (port 53) egress to ${names.join(", ")}; DNS is allowed only to kube-system`);
      continue;
    }
    if (peer?.podSelector !== undefined) {
      if (isDns) out.push(`${pat}: DNS (port 53) egress to pods of the policy's own namespace; DNS is allowed only to kube-system`);
      continue;
    }
    out.push(`${pat} is not a CIDR, a named namespace or a pod selector`);
  }
  return out;
}

const rule: SetRule = {
  name: "atlas-egress",
  description:
    "Every atlas pod is selected by a NetworkPolicy restricting egress; egress goes only to DNS in kube-system, explicit CIDRs (never /0) or named namespaces, each with explicit ports; no CIDR egress in cached-only mode.",
  clause: "Network Policy: default deny egress; optional DNS egress to kube-system; explicit egress CIDR allowlist; no broad egress permit. Offline profile: tightened network policy",
  enforcement: "mandatory",
  scope: "set",
  check(context) {
    const policies = context.objects.filter((o) => isKind(o, "NetworkPolicy", "networking.k8s.io") && restrictsEgress(o));
    const out: ReturnType<SetRule["check"]> = [];
    for (const object of context.objects) {
      const pod = atlasPodTemplateOf(object);
      if (!pod) continue;
      const labels = pod.metadata.labels ?? {};
      const selecting = policies.filter((p) => ns(p) === ns(object) && selects(p.spec?.podSelector, labels));
      if (!selecting.length) {
        out.push({ object, violation: { message: `atlas pods of ${describeObject(object)} are not selected by any NetworkPolicy whose policyTypes include Egress` } });
        continue;
      }
      const offline = cachedOnly(object, context);
      for (const policy of selecting) {
        (policy.spec?.egress ?? []).forEach((r: any, i: number) => {
          for (const message of ruleProblems(r, i, offline)) out.push({ object: policy, violation: { message: `${message} (selects atlas pods of ${describeObject(object)})` } });
        });
      }
    }
    // One report per policy and message, however many workloads it selects.
    const seen = new Set<string>();
    return out.filter((f) => {
      const key = `${describeObject(f.object)}|${f.violation.message.replace(/ \(selects atlas pods of .*\)$/, "")}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
};

export default rule;
