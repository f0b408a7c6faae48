/**
 * Shared pieces of the node tier: a per-run root for cluster data (crash leftovers of earlier runs
 * are cleaned up, concurrent runs are left alone), kubectl with waits, and a snapshot of the host
 * state a cluster must leave as it found it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cleanupStale } from "../../lib/cluster/controlPlane";
import { alive } from "../../lib/cluster/processes";
import { kubectlPath } from "../../lib/helm";

const tierRoot = "/tmp/atlas-node-tier";

/**
 * A fresh directory for this run's clusters, under a root whose other entries belong to other
 * runs: those whose owner process is gone crashed, and their clusters are torn down first.
 * (Short paths: a node's containerd socket lives below it.)
 */
export async function runRoot(): Promise<string> {
  fs.mkdirSync(tierRoot, { recursive: true });
  for (const entry of fs.readdirSync(tierRoot)) {
    const dir = path.join(tierRoot, entry);
    const owner = Number(fs.existsSync(path.join(dir, "owner.pid")) ? fs.readFileSync(path.join(dir, "owner.pid"), "utf8") : "0");
    if (alive(owner)) continue;
    await cleanupStale({ under: dir, log: (l) => process.stderr.write(`${l}\n`) });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const dir = fs.mkdtempSync(path.join(tierRoot, "r"));
  fs.writeFileSync(path.join(dir, "owner.pid"), String(process.pid));
  return dir;
}

export function kubectl(kubeconfig: string, args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(kubectlPath(), ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", input });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

export function kubectlOk(kubeconfig: string, args: string[], input?: string): string {
  const r = kubectl(kubeconfig, args, input);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

export interface PodInfo {
  phase: string;
  ready: boolean;
  podIP: string;
  nodeName: string;
  containerID: string;
  reason: string;
  waitingReason: string;
  message: string;
}

export function pod(kubeconfig: string, namespace: string, name: string): PodInfo {
  const p = JSON.parse(kubectlOk(kubeconfig, ["get", "pod", "-n", namespace, name, "-o", "json"])) as {
    status: { phase?: string; podIP?: string; reason?: string; message?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { containerID?: string; state?: { waiting?: { reason?: string; message?: string } } }[] };
    spec: { nodeName?: string };
  };
  const cs = p.status.containerStatuses?.[0];
  return {
    phase: p.status.phase ?? "",
    ready: p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
    podIP: p.status.podIP ?? "",
    nodeName: p.spec.nodeName ?? "",
    containerID: cs?.containerID ?? "",
    reason: p.status.reason ?? "",
    waitingReason: cs?.state?.waiting?.reason ?? "",
    message: `${p.status.message ?? ""} ${cs?.state?.waiting?.message ?? ""}`.trim(),
  };
}

/** What a cluster may change on the host only while it runs: the host's netfilter state, its links, namespaces and cgroup roots. */
export interface HostSnapshot {
  iptables: string;
  ipsets: string;
  nft: string;
  links: string[];
  netns: string[];
  mounts: string[];
}

const out = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" }).stdout ?? "";

export function hostSnapshot(): HostSnapshot {
  // Counters and comments with timestamps change on their own; compare rules only.
  const rules = (s: string) => s.split("\n").filter((l) => l && !l.startsWith("#") && !l.startsWith(":")).join("\n");
  return {
    iptables: rules(out("iptables-save", [])),
    ipsets: out("ipset", ["list", "-n"]).trim(),
    nft: out("nft", ["list", "ruleset"]).trim(),
    links: out("ip", ["-o", "link", "show"]).split("\n").map((l) => l.split(":")[1]?.trim()).filter(Boolean).sort(),
    netns: out("ip", ["netns", "list"]).split("\n").map((l) => l.split(" ")[0]).filter(Boolean).sort(),
    mounts: fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n").map((l) => l.split(" ")[4]).filter(Boolean).sort(),
  };
}

/** Processes whose command line mentions `needle`. */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmd.includes(needle) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd.slice(0, 160)}`);
    } catch {
      // exited
    }
  }
  return found;
}
