/**
 * A Docker-free Kubernetes control plane on loopback: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler from pinned binaries, plus kwok simulating nodes so
 * workloads become Ready without a kubelet, and optionally real nodes that run containers
 * (realNodes.ts). Each cluster lives in its own data directory (certificates, etcd data, logs,
 * pids, kubeconfig); ports are picked free on 127.0.0.1.
 */
import * as fs from "fs";
import * as path from "path";
import { debianPackages, ensureDebianPackages } from "../toolchain/debian";
import { binaryPath, binDir, controlPlaneBinaries, etcdVersion, KubeBinary, kubernetesVersion, missingBinaries, nodeBinaries } from "../toolchain/kube";
import { adminKubeconfig, apiGet, kubectl } from "./kubeconfig";
import { simulatedNodeAnnotation, simulatedNodeManifests } from "./nodes";
import { generatePki } from "./pki";
import { alive, freePort, launch, stopProcess, waitFor } from "./processes";
import { ClusterNetwork, takenSlots, takeSlot } from "./realNetwork";
import { cleanupStale as cleanupStaleNodes, readState as readRealNodes, startRealNodes, stopRealNodes } from "./realNodes";

export interface LocalCluster {
  dataDir: string;
  kubeconfigPath: string;
  apiServerUrl: string;
  /** Seconds from start to a ready API server with Ready nodes. */
  startupSeconds: number;
  /** The real nodes' network (names, addresses), when the cluster has real nodes. */
  network?: ClusterNetwork;
}

export interface StartOptions {
  /** Data directory of this cluster (created; reused when the cluster is already running). */
  dataDir: string;
  /** Simulated nodes. Default 1. */
  nodes?: number;
  /** Real nodes (containerd + kubelet + kube-proxy + the policy firewall), besides the simulated ones. Default 0. */
  realNodes?: number;
  /** Seconds to wait for readiness. Default 120. */
  timeoutSeconds?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

const stateFile = (dataDir: string) => path.join(dataDir, "cluster.json");
const logDir = (dataDir: string) => path.join(dataDir, "logs");
const logFile = (dataDir: string, name: KubeBinary) => path.join(logDir(dataDir), `${name}.log`);

interface State {
  pids: Partial<Record<KubeBinary, number>>;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number; kwok: number };
  apiServerUrl: string;
  /** Set when the cluster has real nodes: its slot's network (the API server advertises its host address). */
  network?: ClusterNetwork;
}

/** Starts the control plane in `dataDir` (idempotent: a running cluster is returned as is). */
export async function start(opts: StartOptions): Promise<LocalCluster> {
  const t0 = Date.now();
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const dataDir = path.resolve(opts.dataDir);
  const kubeconfigPath = path.join(dataDir, "kubeconfig");
  const realNodes = opts.realNodes ?? 0;
  const missing = missingBinaries(realNodes > 0 ? [...controlPlaneBinaries, ...nodeBinaries] : controlPlaneBinaries);
  if (missing.length) throw new Error(`local cluster: missing binaries: ${missing.join(", ")} (in ${binDir()} and the per-project caches beside it); build them with: npx ts-node --transpile-only scripts/local-cluster.ts build${realNodes > 0 ? " --real-nodes" : ""}`);
  if (realNodes > 0) ensureDebianPackages(debianPackages.realNode, log);

  let previous: State | undefined;
  if (fs.existsSync(stateFile(dataDir))) {
    previous = JSON.parse(fs.readFileSync(stateFile(dataDir), "utf8")) as State;
    const nodesUp = realNodes === 0 || (readRealNodes(dataDir)?.network.nodes.length ?? 0) === realNodes;
    if (controlPlaneBinaries.every((c) => alive(previous!.pids[c])) && nodesUp) {
      log(`local cluster already running at ${previous.apiServerUrl} (${dataDir})`);
      return { dataDir, kubeconfigPath, apiServerUrl: previous.apiServerUrl, startupSeconds: 0, network: previous.network };
    }
    // Partly down (a crash, a stopped API server): restart all of it on the same ports and data,
    // so kubeconfigs already handed out stay valid.
    log("local cluster partly down; restarting it with its data");
    await stop(dataDir, { keepData: true });
  }

  fs.mkdirSync(dataDir, { recursive: true });
  const pki = path.join(dataDir, "pki");
  generatePki(pki);
  const ports = previous?.ports ?? {
    etcdClient: await freePort(),
    etcdPeer: await freePort(),
    apiserver: await freePort(),
    controllerManager: await freePort(),
    scheduler: await freePort(),
    kwok: await freePort(),
  };
  const apiServerUrl = `https://127.0.0.1:${ports.apiserver}`;
  fs.writeFileSync(kubeconfigPath, adminKubeconfig(pki, apiServerUrl), { mode: 0o600 });
  // Real nodes take a slot (addresses, names) before the API server starts: it advertises the slot's host address.
  const network = realNodes > 0 ? takeSlot(dataDir, realNodes) : undefined;
  const state: State = { pids: {}, ports, apiServerUrl, network };
  const save = () => fs.writeFileSync(stateFile(dataDir), JSON.stringify(state, null, 2));
  const deadline = t0 + (opts.timeoutSeconds ?? 120) * 1000;
  const run = (name: KubeBinary, args: string[]) => {
    state.pids[name] = launch(logDir(dataDir), name, binaryPath(name), args);
    save();
  };

  log(`starting etcd ${etcdVersion} on 127.0.0.1:${ports.etcdClient}`);
  run("etcd", [
    "--name=atlas-local",
    `--data-dir=${path.join(dataDir, "etcd")}`,
    `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-cluster=atlas-local=http://127.0.0.1:${ports.etcdPeer}`,
    "--log-level=warn",
  ]);

  log(`starting kube-apiserver ${kubernetesVersion} on ${apiServerUrl}`);
  const p = (f: string) => path.join(pki, f);
  run("kube-apiserver", [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${ports.apiserver}`,
    `--tls-cert-file=${p("apiserver.crt")}`,
    `--tls-private-key-file=${p("apiserver.key")}`,
    `--client-ca-file=${p("ca.crt")}`,
    `--service-account-key-file=${p("sa.pub")}`,
    `--service-account-signing-key-file=${p("sa.key")}`,
    "--service-account-issuer=https://kubernetes.default.svc",
    "--service-cluster-ip-range=10.0.0.0/24",
    // Node: kubelets of real nodes act as system:node:<name>, confined to their own node and pods.
    "--authorization-mode=Node,RBAC",
    // Logs, exec and port-forward reach kubelets with the admin identity.
    `--kubelet-client-certificate=${p("admin.crt")}`,
    `--kubelet-client-key=${p("admin.key")}`,
    ...(network ? [`--advertise-address=${network.hostIp}`] : []),
    // Privileged pods pass API validation, so Pod Security admission is what refuses them.
    "--allow-privileged=true",
    // PodSecurity is on by default; listed so the intent is visible.
    "--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity,DefaultStorageClass,ResourceQuota,LimitRanger,NodeRestriction",
    "--v=1",
  ]);
  await waitFor("kube-apiserver /readyz", deadline, async () => (await apiGet(dataDir, apiServerUrl, "/readyz")).status === 200, logFile(dataDir, "kube-apiserver"));

  log("starting kube-controller-manager, kube-scheduler and kwok");
  run("kube-controller-manager", [
    `--kubeconfig=${kubeconfigPath}`,
    `--authentication-kubeconfig=${kubeconfigPath}`,
    `--authorization-kubeconfig=${kubeconfigPath}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${ports.controllerManager}`,
    `--service-account-private-key-file=${p("sa.key")}`,
    `--root-ca-file=${p("ca.crt")}`,
    `--cluster-signing-cert-file=${p("ca.crt")}`,
    `--cluster-signing-key-file=${p("ca.key")}`,
    "--use-service-account-credentials=false",
    "--leader-elect=false",
    // No cloud, no node IPAM: nodes are simulated.
    "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-route",
    "--v=1",
  ]);
  run("kube-scheduler", [
    `--kubeconfig=${kubeconfigPath}`,
    `--authentication-kubeconfig=${kubeconfigPath}`,
    `--authorization-kubeconfig=${kubeconfigPath}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${ports.scheduler}`,
    "--leader-elect=false",
    "--v=1",
  ]);
  run("kwok", [
    `--kubeconfig=${kubeconfigPath}`,
    "--manage-all-nodes=false",
    `--manage-nodes-with-annotation-selector=${simulatedNodeAnnotation}=fake`,
    "--cidr=10.244.0.0/16",
    "--node-ip=127.0.0.1",
    `--server-address=127.0.0.1:${ports.kwok}`,
  ]);

  const nodes = opts.nodes ?? 1;
  if (nodes > 0) kubectl(kubeconfigPath, ["apply", "-f", "-"], simulatedNodeManifests(nodes));
  if (nodes > 0) await waitFor(
    `${nodes} simulated node(s) Ready`,
    deadline,
    async () => {
      const out = kubectl(kubeconfigPath, ["get", "nodes", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"]);
      return out.split("\n").filter((l) => l === "True").length >= nodes;
    },
    logFile(dataDir, "kwok"),
  );
  await waitFor(
    "service account token controller",
    deadline,
    async () => kubectl(kubeconfigPath, ["get", "serviceaccount", "default", "-n", "default", "-o", "name"]).trim() === "serviceaccount/default",
    logFile(dataDir, "kube-controller-manager"),
  );
  if (network) {
    try {
      await startRealNodes({ dataDir, network, apiServerPort: ports.apiserver, kubeconfigPath, deadline: Math.max(deadline, Date.now() + 240_000), log });
    } catch (e) {
      log(`real nodes failed to start; stopping what was started (logs stay in ${dataDir})`);
      await stopRealNodes(dataDir).catch(() => undefined);
      throw e;
    }
  }
  const startupSeconds = (Date.now() - t0) / 1000;
  log(`local cluster ready at ${apiServerUrl} in ${startupSeconds.toFixed(1)} s (kubeconfig: ${kubeconfigPath})`);
  return { dataDir, kubeconfigPath, apiServerUrl, startupSeconds, network };
}

/** Stops every process of the cluster in `dataDir`; removes the directory unless keepData. */
export async function stop(dataDir: string, opts: { keepData?: boolean } = {}): Promise<void> {
  const dir = path.resolve(dataDir);
  // Real nodes first: their kubelets and proxies talk to the API server until they are gone.
  await stopRealNodes(dir);
  if (fs.existsSync(stateFile(dir))) {
    const s = JSON.parse(fs.readFileSync(stateFile(dir), "utf8")) as State;
    // Reverse start order, one at a time: controllers first, then the API server while etcd still
    // answers (without etcd its graceful shutdown stalls), etcd last.
    for (const c of [...controlPlaneBinaries].reverse()) await stopProcess(`local cluster: ${c}`, s.pids[c]);
    fs.rmSync(stateFile(dir), { force: true });
  }
  if (!opts.keepData) fs.rmSync(dir, { recursive: true, force: true });
}

/** Pids of the cluster's running processes (empty when stopped). */
export function running(dataDir: string): Partial<Record<KubeBinary, number>> {
  const f = stateFile(path.resolve(dataDir));
  if (!fs.existsSync(f)) return {};
  const s = JSON.parse(fs.readFileSync(f, "utf8")) as State;
  return Object.fromEntries(Object.entries(s.pids).filter(([, pid]) => alive(pid)));
}

/** Kills one process outright (fault injection: e.g. the API server in the middle of an update). */
export function killProcess(dataDir: string, name: KubeBinary): void {
  const s = JSON.parse(fs.readFileSync(stateFile(path.resolve(dataDir)), "utf8")) as State;
  if (alive(s.pids[name])) process.kill(s.pids[name]!, "SIGKILL");
}

/**
 * After a crash: stops every cluster with real nodes whose data directory lies under `under` (a
 * test run's root), and tears down the real nodes of any cluster whose API server is gone.
 * Returns the slots freed.
 */
export async function cleanupStale(opts: { under?: string; log?: (line: string) => void } = {}): Promise<number[]> {
  const freed: number[] = [];
  if (opts.under) {
    const root = path.resolve(opts.under) + path.sep;
    for (const r of takenSlots()) {
      if (!(path.resolve(r.dataDir) + path.sep).startsWith(root) || !fs.existsSync(r.dataDir)) continue;
      opts.log?.(`stopping leftover cluster ${r.dataDir} (slot ${r.slot})`);
      await stop(r.dataDir);
      freed.push(r.slot);
    }
  }
  return [...freed, ...(await cleanupStaleNodes({ ...opts, isRunning: (d) => running(d)["kube-apiserver"] !== undefined }))];
}
