/** Network namespaces, veths and the fabric bridge of a cluster's real nodes (see realNetwork.ts for the layout). */
import { spawnSync } from "child_process";
import * as fs from "fs";
import { ClusterNetwork, RealNodePlan } from "./realNetwork";

/** Runs `ip` (in netns `ns` when given); throws with its stderr. */
export function ip(args: string[], ns?: string): string {
  const full = ns ? ["-n", ns, ...args] : args;
  const r = spawnSync("ip", full, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${full.join(" ")} failed: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
  return r.stdout;
}

/** Sets sysctls inside netns `ns` (net.* sysctls are per namespace: the host's stay as they are). */
export function netnsSysctl(ns: string, values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) {
    const r = spawnSync("nsenter", [`--net=/run/netns/${ns}`, "sysctl", "-q", "-w", `${k}=${v}`], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`sysctl ${k}=${v} in netns ${ns} failed: ${(r.stderr || String(r.error)).trim()}`);
  }
}

export function netnsExists(ns: string): boolean {
  return fs.existsSync(`/run/netns/${ns}`);
}

/** The fabric: its netns with a bridge, and the host's leg on it carrying the host address. */
export function createFabric(net: ClusterNetwork): void {
  ip(["netns", "add", net.fabricNetns]);
  ip(["link", "set", "lo", "up"], net.fabricNetns);
  ip(["link", "add", net.fabricBridge, "type", "bridge"], net.fabricNetns);
  ip(["link", "set", net.fabricBridge, "up"], net.fabricNetns);
  ip(["link", "add", net.hostVeth, "type", "veth", "peer", "name", net.hostPort, "netns", net.fabricNetns]);
  ip(["link", "set", net.hostPort, "master", net.fabricBridge, "up"], net.fabricNetns);
  ip(["addr", "add", `${net.hostIp}/${net.fabricPrefix}`, "dev", net.hostVeth]);
  ip(["link", "set", net.hostVeth, "up"]);
}

/** A node's netns on the fabric: its address, routes to the other nodes' pods, forwarding on. */
export function createNodeNetwork(net: ClusterNetwork, node: RealNodePlan): void {
  ip(["netns", "add", node.netns]);
  ip(["link", "set", "lo", "up"], node.netns);
  ip(["link", "add", node.fabricPort, "type", "veth", "peer", "name", "eth0", "netns", node.netns], net.fabricNetns);
  ip(["link", "set", node.fabricPort, "master", net.fabricBridge, "up"], net.fabricNetns);
  ip(["addr", "add", `${node.ip}/${net.fabricPrefix}`, "dev", "eth0"], node.netns);
  ip(["link", "set", "eth0", "up"], node.netns);
  for (const other of net.nodes) if (other.index !== node.index) ip(["route", "add", other.podCidr, "via", other.ip], node.netns);
  // Service addresses need a route for a connect() from the node to reach kube-proxy's DNAT. An
  // on-link route with nobody answering for those addresses: translated traffic is rerouted to
  // its pod, anything left untranslated dies unanswered on the fabric instead of leaving the machine.
  ip(["route", "add", net.serviceCidr, "dev", "eth0", "scope", "link"], node.netns);
  // Pods are routed through the node; bridged pod traffic must pass iptables so that Service
  // replies are un-NATed and NetworkPolicy sees same-node traffic (both are this netns' settings).
  netnsSysctl(node.netns, { "net.ipv4.ip_forward": "1", "net.bridge.bridge-nf-call-iptables": "1" });
  // Pods reach the API server at the host's fabric address (the kubernetes Service's endpoint):
  // the host routes their replies back through the node. The route lives on the host veth and
  // goes with it.
  ip(["route", "add", node.podCidr, "via", node.ip, "dev", net.hostVeth]);
}

/**
 * Deletes the cluster's namespaces (its nodes', its fabric's, and any other named after its slot,
 * such as test hosts a crashed run left on the fabric; processes still in them are killed first)
 * and the host veth, whatever of them exists; what lived in them goes with them.
 */
export function destroyNetwork(net: ClusterNetwork): void {
  // The host veth first, synchronously: deleting the fabric netns would take it down
  // asynchronously, so it could still show (or vanish under a delete) right after.
  if (spawnSync("ip", ["link", "show", net.hostVeth], { encoding: "utf8" }).status === 0) {
    const del = spawnSync("ip", ["link", "del", net.hostVeth], { encoding: "utf8" });
    if (del.status !== 0 && spawnSync("ip", ["link", "show", net.hostVeth]).status === 0) throw new Error(`ip link del ${net.hostVeth} failed: ${del.stderr.trim()}`);
  }
  const prefix = `atlas${net.slot}-`;
  const named = fs.existsSync("/run/netns") ? fs.readdirSync("/run/netns").filter((n) => n.startsWith(prefix)) : [];
  for (const ns of [...new Set([...named, ...net.nodes.map((n) => n.netns), net.fabricNetns])]) {
    if (!netnsExists(ns)) continue;
    for (const pid of ip(["netns", "pids", ns]).split("\n").filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
    ip(["netns", "del", ns]);
  }
}
