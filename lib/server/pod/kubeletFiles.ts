/**
 * The files the kubelet writes for every pod and mounts into each container: /etc/hosts,
 * /etc/hostname and /etc/resolv.conf (ClusterFirst points at the cluster DNS Service's address;
 * no DNS server answers there, as no cluster DNS exists for the runner's pods).
 */
import * as fs from "fs";

/** The default cluster DNS Service address and domain of a kubeadm/kind cluster. */
export const clusterDns = { nameserver: "10.96.0.10", domain: "cluster.local" } as const;

/** `dnsRecords`: names the cluster DNS would answer, written after the pod's own entries. */
export function hostsFile(spec: any, hostname: string, podIP: string, namespace: string, dnsRecords: Readonly<Record<string, string>> = {}): string {
  const fqdn = spec.subdomain ? `${hostname}.${spec.subdomain}.${namespace}.svc.${clusterDns.domain}\t` : "";
  const lines = [
    "# Kubernetes-managed hosts file.",
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "fe00::0\tip6-localnet",
    "fe00::0\tip6-mcastprefix",
    "fe00::1\tip6-allnodes",
    "fe00::2\tip6-allrouters",
    `${podIP}\t${fqdn}${hostname}`,
  ];
  if (spec.hostAliases?.length) {
    lines.push("", "# Entries added by HostAliases.");
    for (const a of spec.hostAliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join("\t")}`);
  }
  const records = Object.entries(dnsRecords);
  if (records.length) {
    lines.push("", "# Names the cluster DNS answers.");
    for (const [name, ip] of records) lines.push(`${ip}\t${name}`);
  }
  return lines.join("\n") + "\n";
}

export function resolvConf(spec: any, namespace: string): string {
  const policy = spec.dnsPolicy ?? "ClusterFirst";
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (policy === "ClusterFirst" || policy === "ClusterFirstWithHostNet") {
    nameservers = [clusterDns.nameserver];
    searches = [`${namespace}.svc.${clusterDns.domain}`, `svc.${clusterDns.domain}`, clusterDns.domain];
    options = ["ndots:5"];
  } else if (policy === "Default") {
    const host = fs.existsSync("/etc/resolv.conf") ? fs.readFileSync("/etc/resolv.conf", "utf8") : "";
    nameservers = [...host.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]);
    searches = host.match(/^search\s+(.+)$/m)?.[1].split(/\s+/) ?? [];
  }
  const cfg = spec.dnsConfig ?? {};
  nameservers = [...new Set([...nameservers, ...(cfg.nameservers ?? [])])];
  searches = [...new Set([...searches, ...(cfg.searches ?? [])])];
  for (const o of cfg.options ?? []) options = [...options.filter((x) => x.split(":")[0] !== o.name), o.value !== undefined ? `${o.name}:${o.value}` : o.name];
  return [
    ...(searches.length ? [`search ${searches.join(" ")}`] : []),
    ...nameservers.map((n) => `nameserver ${n}`),
    ...(options.length ? [`options ${options.join(" ")}`] : []),
  ].join("\n") + "\n";
}
