/**
 * The network of a local cluster's real nodes, and which host resources it takes. Each cluster
 * gets a slot (1..99) and everything it creates on the host is named and numbered from it:
 *
 *   fabric netns  atlas<slot>-fabric   a bridge joining the nodes (and test hosts) on 100.64.<slot>.0/24
 *   host veth     atlas<slot>h         the host's leg on the fabric, 100.64.<slot>.1 (the API server's address for nodes and pods)
 *   node netns    atlas<slot>-n<i>     node i at 100.64.<slot>.<10+i>, its pods on 10.<100+slot>.<i>.0/24
 *   cgroups       /atlas<slot>         in every cgroup v1 hierarchy: the nodes' daemons, containers and pods
 *
 * Nothing of the nodes lives in the host's network namespace but that veth: kube-proxy's and the
 * policy firewall's chains and sets, the pod bridge, conntrack and routing are the nodes' own, so
 * two clusters side by side never share a chain, and deleting the namespaces undoes them. The node
 * namespaces have no default route: nothing a node or pod sends can leave the machine.
 *
 * A slot is taken by creating /run/bijux-atlas/clusters/<slot>.json exclusively (tmpfs: slots die
 * with the namespaces at reboot); the record is also the state `stop` and `cleanupStale` work from
 * when the data directory is gone.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

export const slotRange = { min: 1, max: 99 } as const;

/** Where slots are taken ($ATLAS_CLUSTER_REGISTRY wins, for tests of the registry itself). */
export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ATLAS_CLUSTER_REGISTRY ?? "/run/bijux-atlas/clusters";
}

/** The service range every local cluster's API server uses, and the DNS Service address in it. */
export const serviceCidr = "10.0.0.0/24";
export const dnsServiceIp = "10.0.0.10";
export const clusterDomain = "cluster.local";

export interface RealNodePlan {
  index: number;
  /** Node object name. */
  name: string;
  netns: string;
  /** The node's address on the fabric (kubelet, kube-proxy, the policy firewall bind it). */
  ip: string;
  /** Pod addresses of this node. */
  podCidr: string;
  /** The bridge port of this node inside the fabric netns. */
  fabricPort: string;
}

export interface ClusterNetwork {
  slot: number;
  fabricNetns: string;
  /** Name of the bridge inside the fabric netns. */
  fabricBridge: string;
  hostVeth: string;
  /** Name of the host veth's peer inside the fabric netns. */
  hostPort: string;
  fabricCidr: string;
  /** Prefix length of the fabric. */
  fabricPrefix: number;
  hostIp: string;
  /** All pods of the cluster. */
  clusterCidr: string;
  serviceCidr: string;
  dnsServiceIp: string;
  /** Cgroup (relative to each hierarchy's root) holding everything the nodes run. */
  cgroupRoot: string;
  nodes: RealNodePlan[];
}

/** The network of slot `slot` with `count` real nodes. */
export function planNetwork(slot: number, count: number): ClusterNetwork {
  if (!Number.isInteger(slot) || slot < slotRange.min || slot > slotRange.max) throw new Error(`cluster slot: received ${slot}; allowed: an integer ${slotRange.min}..${slotRange.max}`);
  if (!Number.isInteger(count) || count < 0 || count > 8) throw new Error(`real nodes: received ${count}; allowed: an integer 0..8`);
  return {
    slot,
    fabricNetns: `atlas${slot}-fabric`,
    fabricBridge: "fabric",
    hostVeth: `atlas${slot}h`,
    hostPort: "host",
    fabricCidr: `100.64.${slot}.0/24`,
    fabricPrefix: 24,
    hostIp: `100.64.${slot}.1`,
    clusterCidr: `10.${100 + slot}.0.0/16`,
    serviceCidr,
    dnsServiceIp,
    cgroupRoot: `/atlas${slot}`,
    nodes: Array.from({ length: count }, (_, i) => ({
      index: i,
      name: `atlas-real-${i}`,
      netns: `atlas${slot}-n${i}`,
      ip: `100.64.${slot}.${10 + i}`,
      podCidr: `10.${100 + slot}.${i}.0/24`,
      fabricPort: `n${i}`,
    })),
  };
}

/** What the registry keeps per slot: enough to tear the cluster's host resources down without its data directory. */
export interface SlotRecord {
  slot: number;
  dataDir: string;
  network: ClusterNetwork;
  /** Host directories this cluster created (removed when the last cluster goes). */
  createdDirs: string[];
  /** Pids of the host-side processes (API socket bridge) and of each node's namespace holder. */
  pids: number[];
}

const recordPath = (slot: number) => path.join(registryDir(), `${slot}.json`);

export function readSlot(slot: number): SlotRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(recordPath(slot), "utf8")) as SlotRecord;
  } catch {
    return undefined;
  }
}

export function writeSlot(record: SlotRecord): void {
  const tmp = `${recordPath(record.slot)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record, null, 2));
  fs.renameSync(tmp, recordPath(record.slot));
}

export function releaseSlot(slot: number): void {
  fs.rmSync(recordPath(slot), { force: true });
}

/** Every slot taken on this machine. */
export function takenSlots(): SlotRecord[] {
  if (!fs.existsSync(registryDir())) return [];
  return fs
    .readdirSync(registryDir())
    .filter((f) => /^\d+\.json$/.test(f))
    .map((f) => readSlot(Number(f.slice(0, -5))))
    .filter((r): r is SlotRecord => r !== undefined);
}

/** An IPv4 CIDR as [first address, last address] numbers. */
function range(cidr: string): [number, number] {
  const [ip, bits] = cidr.split("/");
  const n = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  const first = n - (n % size);
  return [first, first + size - 1];
}

export function overlaps(a: string, b: string): boolean {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}

/** Why `network` cannot be used on this host (routes, links or namespaces in the way), or undefined. */
export function hostConflict(network: ClusterNetwork): string | undefined {
  const routes = JSON.parse(execFileSync("ip", ["-j", "-4", "route", "show", "table", "all"], { encoding: "utf8" }) || "[]") as { dst: string; dev?: string }[];
  for (const r of routes) {
    if (!r.dst || r.dst === "default" || r.dev === network.hostVeth) continue;
    const dst = r.dst.includes("/") ? r.dst : `${r.dst}/32`;
    if (/^(127|0)\./.test(dst) || dst.startsWith("255.")) continue;
    for (const mine of [network.fabricCidr, network.clusterCidr]) if (overlaps(dst, mine)) return `host route ${r.dst} (dev ${r.dev ?? "?"}) overlaps ${mine}`;
  }
  const links = JSON.parse(execFileSync("ip", ["-j", "link", "show"], { encoding: "utf8" }) || "[]") as { ifname: string }[];
  if (links.some((l) => l.ifname === network.hostVeth)) return `host link ${network.hostVeth} exists`;
  for (const ns of [network.fabricNetns, ...network.nodes.map((n) => n.netns)]) if (fs.existsSync(`/run/netns/${ns}`)) return `network namespace ${ns} exists`;
  return undefined;
}

/**
 * Takes a free slot for the cluster in `dataDir` (its preferred one is derived from the
 * directory, so a cluster tends to keep its addresses across runs) and returns its network.
 * Slots held by another cluster, or whose addresses or names are in use on the host, are skipped.
 */
export function takeSlot(dataDir: string, count: number): ClusterNetwork {
  fs.mkdirSync(registryDir(), { recursive: true });
  const span = slotRange.max - slotRange.min + 1;
  const preferred = parseInt(createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 8), 16) % span;
  const reasons: string[] = [];
  for (let k = 0; k < span; k++) {
    const slot = slotRange.min + ((preferred + k) % span);
    const network = planNetwork(slot, count);
    const conflict = hostConflict(network);
    if (conflict) {
      reasons.push(`slot ${slot}: ${conflict}`);
      continue;
    }
    try {
      fs.writeFileSync(recordPath(slot), JSON.stringify({ slot, dataDir: path.resolve(dataDir), network, createdDirs: [], pids: [] } satisfies SlotRecord, null, 2), { flag: "wx" });
      return network;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  throw new Error(`no free cluster slot on this host (${span} slots; taken ones are in ${registryDir()}; stop clusters with \`npm run local-cluster -- stop <dataDir>\` or clean up crashed ones with \`npm run local-cluster -- cleanup\`)${reasons.length ? `; last conflicts: ${reasons.slice(-3).join("; ")}` : ""}`);
}
