/**
 * The pod's network, from the rendered NetworkPolicies that select it. The pod always has its own
 * network namespace with loopback and a pod address (probes and clients reach it there, as the
 * kubelet reaches the pod IP). When its egress allows CIDRs, a veth pair links it to a peer
 * namespace the runner creates, where the caller may start endpoints (a store, a catalog); routes
 * exist only for the allowed CIDRs (their `except` blocks unreachable), so nothing else is reached.
 * Egress to pods and namespaces by selector (DNS in kube-system, say) has no counterpart here: no
 * other pods exist, and there is no cluster DNS.
 */
import { ChildProcess, spawn } from "child_process";
import { isIPv4 } from "net";
import { K8sObject, selects } from "../../../contract/k8s";
import { processRef } from "../../procfs";
import { SandboxError } from "./errors";
import { endpointSource } from "./holder";
import { nsenter, startHolder } from "./sandbox";
import { RunRecord } from "./state";

export interface AllowedCidr {
  readonly cidr: string;
  readonly except: readonly string[];
  /** Ports the rule allows ("TCP/443"); empty means every port. Not enforced: routes are per address. */
  readonly ports: readonly string[];
  /** The NetworkPolicy that allows it. */
  readonly policy: string;
}

export interface Egress {
  /** NetworkPolicies whose podSelector selects the pod and that restrict egress. */
  readonly policies: readonly string[];
  /** No policy restricts egress: every destination is allowed. */
  readonly unrestricted: boolean;
  readonly cidrs: readonly AllowedCidr[];
  /** Rules allowing pods or namespaces by selector (no counterpart in the runner), described. */
  readonly selectorPeers: readonly string[];
}

/** The pod's egress as the rendered NetworkPolicies of its namespace define it. */
export function egressOf(objects: readonly K8sObject[], namespace: string, podLabels: Readonly<Record<string, string>>): Egress {
  const selecting = objects.filter(
    (o) =>
      o.kind === "NetworkPolicy" &&
      (o.metadata?.namespace ?? namespace) === namespace &&
      selects(o.spec?.podSelector ?? {}, podLabels) &&
      ((o.spec?.policyTypes as string[] | undefined)?.includes("Egress") ?? o.spec?.egress !== undefined),
  );
  if (selecting.length === 0) return { policies: [], unrestricted: true, cidrs: [], selectorPeers: [] };
  const cidrs: AllowedCidr[] = [];
  const selectorPeers: string[] = [];
  let unrestricted = false;
  for (const np of selecting) {
    const name = np.metadata?.name ?? "?";
    for (const rule of np.spec?.egress ?? []) {
      const ports = (rule.ports ?? []).map((p: any) => `${p.protocol ?? "TCP"}/${p.port ?? "*"}${p.endPort ? `-${p.endPort}` : ""}`);
      if (!rule.to || rule.to.length === 0) {
        unrestricted = true;
        continue;
      }
      for (const peer of rule.to) {
        if (peer.ipBlock) cidrs.push({ cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [], ports, policy: name });
        else selectorPeers.push(`${name}: ${JSON.stringify(peer)} ports ${ports.join(",") || "all"}`);
      }
    }
  }
  return { policies: selecting.map((o) => o.metadata?.name ?? "?"), unrestricted, cidrs, selectorPeers };
}

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** Whether an IPv4 address lies in an IPv4 CIDR. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  if (!isIPv4(ip) || !isIPv4(base)) return false;
  const n = Number(bits);
  const mask = n === 0 ? 0 : 2 ** 32 - 2 ** (32 - n);
  const and = (x: number) => Number((BigInt(x) & BigInt(mask)).toString());
  return and(ipv4ToInt(ip)) === and(ipv4ToInt(base));
}

/** Whether the pod's egress reaches `ip`. */
export function egressAllows(egress: Egress, ip: string): boolean {
  if (egress.unrestricted) return true;
  return egress.cidrs.some((c) => inCidr(ip, c.cidr) && !c.except.some((e) => inCidr(ip, e)));
}

/** Pod address candidates: the first outside every allowed CIDR is the pod's. */
const podAddressCandidates = ["10.244.0.10", "100.64.0.10", "198.18.0.10", "192.0.2.10"];

export function choosePodIP(egress: Egress, wanted?: string): string {
  const clash = (ip: string) => egress.cidrs.some((c) => inCidr(ip, c.cidr));
  if (wanted) {
    if (!isIPv4(wanted)) throw new SandboxError(`pod IP ${wanted} is not an IPv4 address`);
    return wanted;
  }
  const ip = podAddressCandidates.find((c) => !clash(c));
  if (!ip) throw new SandboxError(`every candidate pod address (${podAddressCandidates.join(", ")}) lies in an allowed egress CIDR; pass podIP`);
  return ip;
}

/** An endpoint started in the peer namespace. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
  readonly url: string;
  /** Requests it served, in order (method, path, whether an Authorization header came). */
  readonly requests: { method: string; path: string; authorization: "present" | "absent" }[];
  stop(): void;
}

/** The peer namespace at the other end of the pod's veth: the world the pod's egress may reach. */
export class PeerNetwork {
  private readonly addresses = new Set<string>();
  private readonly endpoints: ChildProcess[] = [];

  private constructor(
    private readonly record: RunRecord,
    readonly pid: number,
    private readonly child: ChildProcess,
    readonly egress: Egress,
  ) {}

  /**
   * Creates the peer namespace, the veth pair between it and the pod (created inside the pod's
   * namespace, so the host's namespace never holds it) and the routes the egress allows.
   */
  static async connect(record: RunRecord, podPid: number, podIP: string, egress: Egress): Promise<PeerNetwork> {
    const { child, pid } = await startHolder(record, "peer", ["net"]);
    const peer = new PeerNetwork(record, pid, child, egress);
    const pod = (args: string[]) => nsenter(podPid, ["net"], ["ip", ...args]);
    const far = (args: string[]) => nsenter(pid, ["net"], ["ip", ...args]);
    await pod(["link", "add", "eth0", "type", "veth", "peer", "name", "peer0", "netns", String(pid)]);
    await pod(["addr", "add", `${podIP}/32`, "dev", "eth0"]);
    await pod(["link", "set", "eth0", "up"]);
    await far(["link", "set", "lo", "up"]);
    await far(["link", "set", "peer0", "up"]);
    await far(["route", "add", `${podIP}/32`, "dev", "peer0"]);
    if (egress.unrestricted) {
      await pod(["route", "add", "default", "dev", "eth0", "src", podIP]);
    } else {
      for (const c of egress.cidrs.filter((c) => isIPv4(c.cidr.split("/")[0]))) {
        await pod(["route", "replace", c.cidr, "dev", "eth0", "src", podIP]);
        for (const e of c.except) if (isIPv4(e.split("/")[0])) await pod(["route", "replace", "unreachable", e]);
      }
    }
    return peer;
  }

  /** Gives the peer namespace `address` (routed to the pod only if the pod's egress allows it). */
  async addAddress(address: string): Promise<void> {
    if (!isIPv4(address)) throw new SandboxError(`endpoint address ${address} is not an IPv4 address`);
    if (this.addresses.has(address)) return;
    await nsenter(this.pid, ["net"], ["ip", "addr", "add", `${address}/32`, "dev", "peer0"]);
    this.addresses.add(address);
  }

  /** Serves the files under `root` over HTTP at address:port in the peer namespace. */
  async startHttpEndpoint(opts: { address: string; port: number; root: string }): Promise<Endpoint> {
    await this.addAddress(opts.address);
    const child = spawn("nsenter", ["--target", String(this.pid), "--net", "--", process.execPath, "-e", endpointSource, opts.root, opts.address, String(opts.port)], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: "/usr/bin:/bin" },
    });
    const ref = child.pid !== undefined ? processRef(child.pid) : undefined;
    if (ref) this.record.addProcess(ref);
    this.endpoints.push(child);
    const requests: Endpoint["requests"] = [];
    await new Promise<void>((resolve, reject) => {
      let buf = "";
      let err = "";
      child.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
      child.stdout!.setEncoding("utf8").on("data", (c: string) => {
        buf += c;
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (line.listening) resolve();
          else requests.push(line);
        }
      });
      child.once("exit", (code) => reject(new SandboxError(`endpoint ${opts.address}:${opts.port} exited (${code}): ${err.trim()}`)));
    });
    return {
      address: opts.address,
      port: opts.port,
      url: `http://${opts.address}:${opts.port}`,
      requests,
      stop: () => {
        child.stdin?.end();
        child.kill("SIGKILL");
      },
    };
  }

  kill(): void {
    for (const e of this.endpoints) {
      e.stdin?.end();
      e.kill("SIGKILL");
    }
    this.child.stdin?.end();
    try {
      process.kill(this.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

/**
 * Loopback only, with the pod address on it as well: the pod answers on its IP (where the kubelet
 * probes it) and no route leads anywhere else.
 */
export async function isolatedNetwork(podPid: number, podIP: string): Promise<void> {
  await nsenter(podPid, ["net"], ["ip", "addr", "add", `${podIP}/32`, "dev", "lo"]);
}
