/**
 * Real nodes beside the local control plane: each a network namespace on the cluster's fabric
 * (realNetwork.ts) and a private mount namespace, running containerd (Debian's 1.6, runc, the CNI
 * bridge), the kubelet (cgroupfs), kube-proxy (iptables) and kube-router's NetworkPolicy firewall,
 * all built from the same pinned sources as the control plane; CoreDNS runs as a pod. Images come
 * from lib/image/ and are imported with ctr: nothing is ever pulled.
 *
 * What a cluster changes on the host, and how it is undone (by `stopRealNodes`, from the state
 * file or the slot record alone, also after a crash):
 *   - network namespaces and the host veth: deleted (their chains, sets, routes, bridges and
 *     sysctls are per namespace and go with them);
 *   - cgroups /atlas<slot>: every process in them killed, the subtree removed;
 *   - mounts (container root filesystems, volumes, pod netns, containerd's sockets, the kubelet's
 *     view of kernel tunables): made only in the nodes' private mount namespaces, which end with
 *     their last process;
 *   - /run/containerd and /var/lib/cni (mount points the runtime needs): removed with the last cluster if they were created;
 *   - the slot record under /run/bijux-atlas/clusters: removed.
 * The host's own iptables, sysctls and mount table are never touched.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { dns } from "../../contract/network";
import { BuiltImage } from "../image/oci";
import { corednsImage, pauseImage } from "../image/images";
import { binaryPath, corednsVersion } from "../toolchain/kube";
import { createCgroup, destroyCgroup, procsFiles } from "./cgroups";
import { corednsLabels, corednsManifests, policyFirewallRbac, policyFirewallUser } from "./clusterDns";
import { createFabric, createNodeNetwork, destroyNetwork } from "./hostNet";
import { kubectl } from "./kubeconfig";
import { checkSocketPath, cniConfig, componentKubeconfig, containerdConfig, kubeletConfig, kubeletKernelTunables, nodePaths, NodePaths } from "./nodeConfig";
import { clientCertificate } from "./pki";
import { alive, launch, stopProcess, waitFor } from "./processes";
import { ClusterNetwork, readSlot, RealNodePlan, releaseSlot, SlotRecord, takenSlots, writeSlot } from "./realNetwork";

/** Host directories the runtime needs as mount points (shim sockets, the CNI result cache); each node mounts a private tmpfs on them. */
const runtimeMountPoints = ["/run/containerd", "/var/lib/cni"];

export const realNodesStateFile = (dataDir: string) => path.join(dataDir, "real-nodes.json");

export interface RealNodesState extends SlotRecord {
  /** Per node: pids of its namespace holder and daemons. */
  nodePids: Record<string, Partial<Record<NodeDaemon, number>>>;
  /** Images imported into every node (repository@digest). */
  images: Record<string, string>;
}

export type NodeDaemon = "holder" | "containerd" | "kubelet" | "kube-proxy" | "kube-router";
const daemonStopOrder: NodeDaemon[] = ["kube-router", "kube-proxy", "kubelet", "containerd", "holder"];

export interface StartRealNodesOptions {
  dataDir: string;
  network: ClusterNetwork;
  /** Port of the API server on 127.0.0.1 (the host bridges it onto the fabric address). */
  apiServerPort: number;
  /** Admin kubeconfig. */
  kubeconfigPath: string;
  deadline: number;
  log: (line: string) => void;
}

function save(state: RealNodesState): void {
  fs.writeFileSync(realNodesStateFile(state.dataDir), JSON.stringify(state, null, 2));
  writeSlot(state);
}

/**
 * Launches `binary args` inside the node's namespaces (those of `holderPid`; the host's when
 * undefined), moved into cgroup `cgroup` before it runs.
 */
function launchIn(logDir: string, name: string, cgroup: string, holderPid: number | undefined, binary: string, args: string[]): number {
  const join = 'for f in $NODE_CGROUP_PROCS; do echo $$ > "$f"; done; exec "$0" "$@"';
  const env = { ...process.env, NODE_CGROUP_PROCS: procsFiles(cgroup).join(" "), PATH: `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` };
  if (holderPid === undefined) return launch(logDir, name, "sh", ["-c", join, binary, ...args], env);
  return launch(logDir, name, "nsenter", [`--target=${holderPid}`, "--mount", "--net", "sh", "-c", join, binary, ...args], env);
}

/** Starts the namespace holder of `node`: a process in the node's netns with a private mount namespace prepared for the runtime. */
async function startHolder(net: ClusterNetwork, node: RealNodePlan, p: NodePaths, deadline: number): Promise<number> {
  fs.mkdirSync(p.sysctlMasks, { recursive: true });
  const masks = Object.entries(kubeletKernelTunables).map(([key, value]) => {
    const file = path.join(p.sysctlMasks, key.replace(/\//g, "."));
    fs.writeFileSync(file, `${value}\n`);
    return `${file}=${key}`;
  });
  fs.rmSync(p.ready, { force: true });
  const script = [
    "set -e",
    'for f in $NODE_CGROUP_PROCS; do echo $$ > "$f"; done',
    ...runtimeMountPoints.map((m) => `mount -t tmpfs -o mode=0711 atlas-node ${m}`),
    'for m in $NODE_SYSCTL_MASKS; do mount --bind "${m%%=*}" "/proc/sys/${m#*=}"; done',
    'echo ready > "$NODE_READY"',
    "exec sleep infinity",
  ].join("\n");
  const env = { ...process.env, NODE_CGROUP_PROCS: procsFiles(`${net.cgroupRoot}/n${node.index}/daemons`).join(" "), NODE_SYSCTL_MASKS: masks.join(" "), NODE_READY: p.ready };
  const pid = launch(p.logs, "holder", "nsenter", [`--net=/run/netns/${node.netns}`, "unshare", "--mount", "--propagation", "private", "sh", "-c", script], env);
  await waitFor(`${node.name}: namespace holder`, deadline, async () => {
    if (!alive(pid)) throw new Error("holder exited");
    return fs.existsSync(p.ready);
  }, path.join(p.logs, "holder.log"));
  return pid;
}

function ctr(p: NodePaths, args: string[]): string {
  return execFileSync("ctr", ["--address", p.containerdSocket, "--namespace", "k8s.io", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 16 * 1024 * 1024 });
}

/** Imports `image` into the node's containerd under its tag and its digest (repository@sha256:...), unpacked for the runtime. */
export function importImage(p: NodePaths, image: BuiltImage): void {
  const r = spawnSync("ctr", ["--address", p.containerdSocket, "--namespace", "k8s.io", "images", "import", "--base-name", image.repository, "--digests", "--snapshotter", "overlayfs", image.archive], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`importing ${image.ref} into ${p.containerdSocket} failed: ${(r.stderr || String(r.error)).trim()}`);
  const names = ctr(p, ["images", "list", "--quiet"]).split("\n");
  if (!names.includes(image.ref)) throw new Error(`imported ${image.archive}, but the node has no image named ${image.ref} (it has: ${names.filter(Boolean).join(", ")})`);
}

/** Starts the real nodes of a cluster whose control plane is running; returns when every node is Ready and cluster DNS answers. */
export async function startRealNodes(opts: StartRealNodesOptions): Promise<RealNodesState> {
  const { dataDir, network: net, log, deadline } = opts;
  const slot = readSlot(net.slot);
  if (!slot || path.resolve(slot.dataDir) !== path.resolve(dataDir)) throw new Error(`cluster slot ${net.slot} is not held by ${dataDir}`);
  const state: RealNodesState = { ...slot, network: net, nodePids: {}, images: {} };
  const pki = path.join(dataDir, "pki");
  const caFile = path.join(pki, "ca.crt");

  log(`building the node images (pause, CoreDNS ${corednsVersion}); cached after the first time`);
  const pause = pauseImage(log);
  const coredns = corednsImage(binaryPath("coredns"), corednsVersion, log);
  state.images = { pause: pause.ref, coredns: coredns.ref };

  for (const dir of runtimeMountPoints) {
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      state.createdDirs.push(dir);
    }
  }
  createCgroup(`${net.cgroupRoot}/host`);
  save(state);

  log(`fabric ${net.fabricCidr} (netns ${net.fabricNetns}, host ${net.hostIp} on ${net.hostVeth}); pods ${net.clusterCidr}`);
  createFabric(net);
  // The API server listens on loopback only; nodes and pods reach it at the host's fabric address
  // (its advertised address, so the kubernetes Service points there too).
  const hostLogs = path.join(dataDir, "logs");
  state.pids.push(launchIn(hostLogs, "apiserver-bridge", `${net.cgroupRoot}/host`, undefined, "socat", [`TCP-LISTEN:${opts.apiServerPort},bind=${net.hostIp},fork,reuseaddr`, `TCP:127.0.0.1:${opts.apiServerPort}`]));
  save(state);
  const server = `https://${net.hostIp}:${opts.apiServerPort}`;

  kubectl(opts.kubeconfigPath, ["apply", "-f", "-"], policyFirewallRbac());
  const proxyCert = clientCertificate(pki, "kube-proxy", "/CN=system:kube-proxy");
  const firewallCert = clientCertificate(pki, "kube-router", `/CN=${policyFirewallUser}`);

  for (const node of net.nodes) {
    const p = nodePaths(dataDir, node.index);
    checkSocketPath(`${p.containerdSocket}.ttrpc`);
    for (const d of [p.dir, p.logs, p.cniConfDir, p.cniIpamDir, p.kubeletRoot, p.podLogs, p.kubeconfigs, path.dirname(p.containerdConfig)]) fs.mkdirSync(d, { recursive: true });
    const pids: Partial<Record<NodeDaemon, number>> = {};
    state.nodePids[node.name] = pids;
    log(`${node.name}: netns ${node.netns}, address ${node.ip}, pods ${node.podCidr}`);
    createNodeNetwork(net, node);
    const daemons = `${net.cgroupRoot}/n${node.index}/daemons`;
    createCgroup(daemons);

    fs.writeFileSync(p.containerdConfig, containerdConfig(p, pause.ref));
    fs.writeFileSync(path.join(p.cniConfDir, "10-atlas.conflist"), cniConfig(net, node, p));
    fs.writeFileSync(p.kubeletConfig, kubeletConfig(net, node, p, caFile));
    const kubeletCert = clientCertificate(pki, `kubelet-${node.index}`, `/CN=system:node:${node.name}/O=system:nodes`);
    const kc = (name: string, c: { cert: string; key: string }) => {
      const f = path.join(p.kubeconfigs, `${name}.kubeconfig`);
      fs.writeFileSync(f, componentKubeconfig(server, caFile, c.cert, c.key), { mode: 0o600 });
      return f;
    };

    pids.holder = await startHolder(net, node, p, deadline);
    save(state);
    const run = (name: NodeDaemon, binary: string, args: string[]) => {
      pids[name] = launchIn(p.logs, name, daemons, pids.holder, binary, args);
      save(state);
    };
    run("containerd", "containerd", ["--config", p.containerdConfig]);
    await waitFor(`${node.name}: containerd`, deadline, async () => {
      if (!alive(pids.containerd)) throw new Error("containerd exited");
      ctr(p, ["version"]);
      return true;
    }, path.join(p.logs, "containerd.log"));
    for (const image of [pause, coredns]) importImage(p, image);

    run("kubelet", binaryPath("kubelet"), [
      `--config=${p.kubeletConfig}`,
      `--kubeconfig=${kc("kubelet", kubeletCert)}`,
      `--root-dir=${p.kubeletRoot}`,
      `--hostname-override=${node.name}`,
      `--node-ip=${node.ip}`,
      // Negative OOM scores need CAP_SYS_RESOURCE, which the machine does not grant.
      "--oom-score-adj=0",
      "--v=1",
    ]);
    run("kube-proxy", binaryPath("kube-proxy"), [
      `--kubeconfig=${kc("kube-proxy", proxyCert)}`,
      `--hostname-override=${node.name}`,
      `--bind-address=${node.ip}`,
      `--cluster-cidr=${net.clusterCidr}`,
      "--proxy-mode=iptables",
      // Conntrack limits are host-wide: leave them (and the per-netns timeouts) as they are.
      "--conntrack-max-per-core=0",
      "--conntrack-min=0",
      "--conntrack-tcp-timeout-established=0",
      "--conntrack-tcp-timeout-close-wait=0",
      "--iptables-localhost-nodeports=false",
      "--metrics-bind-address=127.0.0.1:10249",
      "--healthz-bind-address=127.0.0.1:10256",
      "--v=1",
    ]);
  }

  // No node IPAM in the controller manager: each node's pod range is its plan's.
  for (const node of net.nodes) {
    await waitFor(`${node.name} registered`, deadline, async () => kubectl(opts.kubeconfigPath, ["get", "node", node.name, "-o", "name"]).trim() === `node/${node.name}`, path.join(nodePaths(dataDir, node.index).logs, "kubelet.log"));
    const current = kubectl(opts.kubeconfigPath, ["get", "node", node.name, "-o", "jsonpath={.spec.podCIDR}"]).trim();
    if (!current) kubectl(opts.kubeconfigPath, ["patch", "node", node.name, "--type=merge", "-p", JSON.stringify({ spec: { podCIDR: node.podCidr, podCIDRs: [node.podCidr] } })]);
  }
  // The policy firewall finds its node object at start (and exits without it): it starts once the kubelet registered it.
  for (const node of net.nodes) {
    const p = nodePaths(dataDir, node.index);
    const pids = state.nodePids[node.name];
    const kc = path.join(p.kubeconfigs, "kube-router.kubeconfig");
    fs.writeFileSync(kc, componentKubeconfig(server, caFile, firewallCert.cert, firewallCert.key), { mode: 0o600 });
    pids["kube-router"] = launchIn(p.logs, "kube-router", `${net.cgroupRoot}/n${node.index}/daemons`, pids.holder, binaryPath("kube-router"), [
      `--kubeconfig=${kc}`,
      `--hostname-override=${node.name}`,
      "--run-firewall=true",
      "--run-router=false",
      "--run-service-proxy=false",
      "--run-loadbalancer=false",
      "--enable-ipv6=false",
      `--service-cluster-ip-range=${net.serviceCidr}`,
      "--health-port=0",
      "--metrics-port=0",
      "--iptables-sync-period=30s",
      "--v=1",
    ]);
    save(state);
  }
  for (const node of net.nodes) {
    await waitFor(`${node.name} Ready`, deadline, async () => {
      return kubectl(opts.kubeconfigPath, ["get", "node", node.name, "-o", 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).trim() === "True";
    }, path.join(nodePaths(dataDir, node.index).logs, "kubelet.log"));
    const firewallLog = path.join(nodePaths(dataDir, node.index).logs, "kube-router.log");
    if (!alive(state.nodePids[node.name]["kube-router"])) throw new Error(`${node.name}: the NetworkPolicy firewall exited; last lines of ${firewallLog}:\n${fs.readFileSync(firewallLog, "utf8").split("\n").slice(-10).join("\n")}`);
  }

  if (net.nodes.length) {
    log(`cluster DNS: CoreDNS ${corednsVersion} at ${net.dnsServiceIp} (kube-system)`);
    kubectl(opts.kubeconfigPath, ["apply", "-f", "-"], corednsManifests(net, coredns.ref));
    await waitFor("CoreDNS Ready", deadline, async () => {
      const out = kubectl(opts.kubeconfigPath, ["get", "pods", "-n", dns.namespace, "-l", Object.entries(corednsLabels).map(([k, v]) => `${k}=${v}`).join(","), "-o", 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
      return out.split("\n").includes("True");
    }, path.join(nodePaths(dataDir, 0).logs, "kubelet.log"));
  }
  return state;
}

/** Imports `image` into every real node of the cluster in `dataDir`. */
export function importIntoNodes(dataDir: string, image: BuiltImage): void {
  const state = readState(dataDir);
  if (!state) throw new Error(`${dataDir} has no real nodes (no ${realNodesStateFile(dataDir)})`);
  for (const node of state.network.nodes) importImage(nodePaths(dataDir, node.index), image);
  state.images[image.repository] = image.ref;
  save(state);
}

export function readState(dataDir: string): RealNodesState | undefined {
  try {
    return JSON.parse(fs.readFileSync(realNodesStateFile(dataDir), "utf8")) as RealNodesState;
  } catch {
    return undefined;
  }
}

/**
 * Stops the real nodes described by `record` (the state file's content, or the slot record when
 * the data directory is gone) and undoes their host changes. Idempotent.
 */
export async function teardown(record: SlotRecord & Partial<Pick<RealNodesState, "nodePids">>): Promise<void> {
  const net = record.network;
  // Daemons first, politely (kube-router and kube-proxy clean up their own chains), then whatever
  // is left in the cgroups (containers, shims) by force.
  for (const pids of Object.values(record.nodePids ?? {})) {
    for (const d of daemonStopOrder) if (d !== "holder") await stopProcess(d, pids[d], 5000).catch(() => undefined);
  }
  for (const pid of record.pids) await stopProcess("host process", pid, 2000).catch(() => undefined);
  await destroyCgroup(net.cgroupRoot);
  destroyNetwork(net);
  const others = takenSlots().filter((s) => s.slot !== net.slot);
  if (!others.length) {
    for (const dir of record.createdDirs) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // not empty or in use: not ours alone any more
      }
    }
  } else {
    // Hand the directories over to a cluster still running, which removes them when it goes.
    const heir = others[0];
    writeSlot({ ...heir, createdDirs: [...new Set([...heir.createdDirs, ...record.createdDirs])] });
  }
  releaseSlot(net.slot);
}

/**
 * Stops the real nodes of the cluster in `dataDir`: from its state file, or, when a start died
 * before writing one, from the slot record naming this directory. Nothing to do when neither exists.
 */
export async function stopRealNodes(dataDir: string): Promise<void> {
  const dir = path.resolve(dataDir);
  const state = readState(dir);
  const records = takenSlots().filter((r) => path.resolve(r.dataDir) === dir);
  if (state) {
    const slot = readSlot(state.network.slot);
    await teardown({ ...state, createdDirs: slot && path.resolve(slot.dataDir) === dir ? slot.createdDirs : state.createdDirs });
  }
  for (const r of records) if (!state || r.slot !== state.network.slot) await teardown(r);
  fs.rmSync(realNodesStateFile(dir), { force: true });
}

/**
 * Tears down every cluster on this machine whose real nodes outlived their control plane (the
 * API server is gone, or the data directory is), or whose data directory lies under `under`
 * (a test run's root, after that run crashed). Returns the slots it freed.
 */
export async function cleanupStale(opts: { under?: string; isRunning: (dataDir: string) => boolean; log?: (line: string) => void }): Promise<number[]> {
  const freed: number[] = [];
  for (const r of takenSlots()) {
    const dir = path.resolve(r.dataDir);
    const inside = opts.under !== undefined && (dir + path.sep).startsWith(path.resolve(opts.under) + path.sep);
    if (!inside && fs.existsSync(dir) && opts.isRunning(dir)) continue;
    opts.log?.(`cleaning up cluster slot ${r.slot} (${dir}): ${inside ? `under ${opts.under}` : "its control plane is gone"}`);
    const state = readState(dir);
    await teardown(state && state.network.slot === r.slot ? { ...state, createdDirs: r.createdDirs } : r);
    fs.rmSync(realNodesStateFile(dir), { force: true });
    freed.push(r.slot);
  }
  return freed;
}

/** Host pid of the main process of container `containerId` (a pod status's containerID, with or without its `containerd://` prefix) on node `index`. */
export function containerPid(dataDir: string, index: number, containerId: string): number {
  const id = containerId.replace(/^containerd:\/\//, "");
  const line = ctr(nodePaths(dataDir, index), ["tasks", "list"])
    .split("\n")
    .find((l) => l.startsWith(`${id} `));
  const pid = line ? Number(line.trim().split(/\s+/)[1]) : NaN;
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`container ${id} has no running task on node ${index}`);
  return pid;
}
