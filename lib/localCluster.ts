/**
 * A Docker-free Kubernetes control plane on loopback: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler from pinned binaries, plus kwok simulating nodes so
 * workloads become Ready without a kubelet. Each cluster lives in its own data directory
 * (certificates, etcd data, logs, pids, kubeconfig); ports are picked free on 127.0.0.1.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/** Pinned versions of the control plane (built by `scripts/local-cluster/cluster.ts build`). */
export const kubernetesVersion = "v1.34.2";
export const etcdVersion = "v3.5.21";
export const kwokVersion = "v0.7.0";

/** Where the built binaries are cached, keyed by version. */
export function binDir(): string {
  if (process.env.ATLAS_KUBE_BIN_DIR) return process.env.ATLAS_KUBE_BIN_DIR;
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  return path.join(cache, "bijux-atlas", "kube", `${kubernetesVersion}-etcd-${etcdVersion}-kwok-${kwokVersion}`, "bin");
}

export const components = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"] as const;
type Component = (typeof components)[number];

export interface LocalCluster {
  dataDir: string;
  kubeconfigPath: string;
  apiServerUrl: string;
  /** Seconds from start to a ready API server with Ready nodes. */
  startupSeconds: number;
}

export interface StartOptions {
  /** Data directory of this cluster (created; reused when the cluster is already running). */
  dataDir: string;
  /** Simulated nodes. Default 1. */
  nodes?: number;
  /** Seconds to wait for readiness. Default 120. */
  timeoutSeconds?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

const stateFile = (dataDir: string) => path.join(dataDir, "cluster.json");

interface State {
  pids: Partial<Record<Component, number>>;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number; kwok: number };
  apiServerUrl: string;
}

export function missingBinaries(dir = binDir()): string[] {
  return components.filter((c) => !fs.existsSync(path.join(dir, c)));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a process runs; an exited child its parent has not reaped yet (a zombie) does not. */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** CA, apiserver serving cert (127.0.0.1/localhost), admin client cert (system:masters), service-account keys. */
function generatePki(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(path.join(dir, "admin.crt"))) return;
  const days = "3650";
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", days, "-subj", "/CN=atlas-local-ca"], dir);
  const leaf = (name: string, subj: string, ext: string) => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj], dir);
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", days, "-extfile", `${name}.ext`], dir);
  };
  leaf("apiserver", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc,IP:10.0.0.1\nextendedKeyUsage=serverAuth\n");
  leaf("admin", "/CN=atlas-admin/O=system:masters", "extendedKeyUsage=clientAuth\n");
  openssl(["genpkey", "-algorithm", "RSA", "-out", "sa.key", "-pkeyopt", "rsa_keygen_bits:2048"], dir);
  openssl(["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
}

function kubeconfig(pki: string, url: string): string {
  const b64 = (f: string) => fs.readFileSync(path.join(pki, f)).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: atlas-local`,
    `  cluster: {server: "${url}", certificate-authority-data: ${b64("ca.crt")}}`,
    "users:",
    "- name: atlas-admin",
    `  user: {client-certificate-data: ${b64("admin.crt")}, client-key-data: ${b64("admin.key")}}`,
    "contexts:",
    "- name: atlas-local",
    "  context: {cluster: atlas-local, user: atlas-admin}",
    "current-context: atlas-local",
    "",
  ].join("\n");
}

function launch(dataDir: string, name: Component, args: string[]): number {
  const logs = path.join(dataDir, "logs");
  fs.mkdirSync(logs, { recursive: true });
  const out = fs.openSync(path.join(logs, `${name}.log`), "a");
  const child = spawn(path.join(binDir(), name), args, { detached: true, stdio: ["ignore", out, out] });
  child.unref();
  fs.closeSync(out);
  return child.pid!;
}

/** GET on the API server with the admin certificate; resolves with status and body. */
export function apiGet(dataDir: string, url: string, p: string): Promise<{ status: number; body: string }> {
  const pki = path.join(dataDir, "pki");
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${url}${p}`,
      { ca: fs.readFileSync(path.join(pki, "ca.crt")), cert: fs.readFileSync(path.join(pki, "admin.crt")), key: fs.readFileSync(path.join(pki, "admin.key")), timeout: 5000 },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
  });
}

async function waitFor(what: string, deadline: number, probe: () => Promise<boolean>, dataDir: string, logOf: Component): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const log = path.join(dataDir, "logs", `${logOf}.log`);
  const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").slice(-15).join("\n") : "(no log)";
  throw new Error(`local cluster: ${what} not ready in time; last lines of ${log}:\n${tail}`);
}

function kubectl(kubeconfigPath: string, args: string[], input?: string): string {
  const bin = process.env.KUBECTL ?? path.join(__dirname, "..", ".tools", "bin", "kubectl");
  return execFileSync(bin, ["--kubeconfig", kubeconfigPath, ...args], { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

/** Starts the control plane in `dataDir` (idempotent: a running cluster is returned as is). */
export async function start(opts: StartOptions): Promise<LocalCluster> {
  const t0 = Date.now();
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const dataDir = path.resolve(opts.dataDir);
  const kubeconfigPath = path.join(dataDir, "kubeconfig");
  const missing = missingBinaries();
  if (missing.length) throw new Error(`local cluster: missing binaries in ${binDir()}: ${missing.join(", ")}; build them with: npx ts-node --transpile-only scripts/local-cluster/cluster.ts build`);

  let previous: State | undefined;
  if (fs.existsSync(stateFile(dataDir))) {
    previous = JSON.parse(fs.readFileSync(stateFile(dataDir), "utf8")) as State;
    if (components.every((c) => alive(previous!.pids[c]))) {
      log(`local cluster already running at ${previous.apiServerUrl} (${dataDir})`);
      return { dataDir, kubeconfigPath, apiServerUrl: previous.apiServerUrl, startupSeconds: 0 };
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
  fs.writeFileSync(kubeconfigPath, kubeconfig(pki, apiServerUrl), { mode: 0o600 });
  const state: State = { pids: {}, ports, apiServerUrl };
  const save = () => fs.writeFileSync(stateFile(dataDir), JSON.stringify(state, null, 2));
  const deadline = t0 + (opts.timeoutSeconds ?? 120) * 1000;

  log(`starting etcd ${etcdVersion} on 127.0.0.1:${ports.etcdClient}`);
  state.pids.etcd = launch(dataDir, "etcd", [
    "--name=atlas-local",
    `--data-dir=${path.join(dataDir, "etcd")}`,
    `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-cluster=atlas-local=http://127.0.0.1:${ports.etcdPeer}`,
    "--log-level=warn",
  ]);
  save();

  log(`starting kube-apiserver ${kubernetesVersion} on ${apiServerUrl}`);
  const p = (f: string) => path.join(pki, f);
  state.pids["kube-apiserver"] = launch(dataDir, "kube-apiserver", [
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
    "--authorization-mode=RBAC",
    // Privileged pods pass API validation, so Pod Security admission is what refuses them.
    "--allow-privileged=true",
    // PodSecurity is on by default; listed so the intent is visible.
    "--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity,DefaultStorageClass,ResourceQuota,LimitRanger",
    "--v=1",
  ]);
  save();
  await waitFor("kube-apiserver /readyz", deadline, async () => (await apiGet(dataDir, apiServerUrl, "/readyz")).status === 200, dataDir, "kube-apiserver");

  log("starting kube-controller-manager, kube-scheduler and kwok");
  state.pids["kube-controller-manager"] = launch(dataDir, "kube-controller-manager", [
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
  state.pids["kube-scheduler"] = launch(dataDir, "kube-scheduler", [
    `--kubeconfig=${kubeconfigPath}`,
    `--authentication-kubeconfig=${kubeconfigPath}`,
    `--authorization-kubeconfig=${kubeconfigPath}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${ports.scheduler}`,
    "--leader-elect=false",
    "--v=1",
  ]);
  state.pids.kwok = launch(dataDir, "kwok", [
    `--kubeconfig=${kubeconfigPath}`,
    "--manage-all-nodes=false",
    "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
    "--cidr=10.244.0.0/16",
    "--node-ip=127.0.0.1",
    `--server-address=127.0.0.1:${ports.kwok}`,
  ]);
  save();

  const nodes = opts.nodes ?? 1;
  const nodeDocs = Array.from({ length: nodes }, (_, i) =>
    [
      "apiVersion: v1",
      "kind: Node",
      "metadata:",
      `  name: atlas-node-${i}`,
      "  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: \"0\"}",
      `  labels: {kubernetes.io/hostname: atlas-node-${i}, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}`,
      "status:",
      "  allocatable: {cpu: \"32\", memory: 128Gi, ephemeral-storage: 500Gi, pods: \"110\"}",
      "  capacity: {cpu: \"32\", memory: 128Gi, ephemeral-storage: 500Gi, pods: \"110\"}",
    ].join("\n"),
  ).join("\n---\n");
  kubectl(kubeconfigPath, ["apply", "-f", "-"], nodeDocs);
  await waitFor(
    `${nodes} simulated node(s) Ready`,
    deadline,
    async () => {
      const out = kubectl(kubeconfigPath, ["get", "nodes", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"]);
      return out.split("\n").filter((l) => l === "True").length >= nodes;
    },
    dataDir,
    "kwok",
  );
  await waitFor(
    "service account token controller",
    deadline,
    async () => kubectl(kubeconfigPath, ["get", "serviceaccount", "default", "-n", "default", "-o", "name"]).trim() === "serviceaccount/default",
    dataDir,
    "kube-controller-manager",
  );
  const startupSeconds = (Date.now() - t0) / 1000;
  log(`local cluster ready at ${apiServerUrl} in ${startupSeconds.toFixed(1)} s (kubeconfig: ${kubeconfigPath})`);
  return { dataDir, kubeconfigPath, apiServerUrl, startupSeconds };
}

/** Stops every process of the cluster in `dataDir`; removes the directory unless keepData. */
export async function stop(dataDir: string, opts: { keepData?: boolean } = {}): Promise<void> {
  const dir = path.resolve(dataDir);
  if (fs.existsSync(stateFile(dir))) {
    const s = JSON.parse(fs.readFileSync(stateFile(dir), "utf8")) as State;
    // Reverse start order, one at a time: controllers first, then the API server while etcd still
    // answers (without etcd its graceful shutdown stalls), etcd last.
    for (const c of [...components].reverse()) await stopProcess(c, s.pids[c]);
    fs.rmSync(stateFile(dir), { force: true });
  }
  if (!opts.keepData) fs.rmSync(dir, { recursive: true, force: true });
}

/** SIGTERM, up to 10 s to exit, then SIGKILL; resolves once the process is gone. */
async function stopProcess(component: Component, pid: number | undefined): Promise<void> {
  if (!alive(pid)) return;
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };
  process.kill(pid!, "SIGTERM");
  await waitGone(10000);
  if (alive(pid)) {
    process.kill(pid!, "SIGKILL");
    await waitGone(10000);
  }
  if (alive(pid)) throw new Error(`local cluster: ${component} (pid ${pid}) still running after SIGKILL`);
}

/** Pids of the cluster's running processes (empty when stopped). */
export function running(dataDir: string): Partial<Record<Component, number>> {
  const f = stateFile(path.resolve(dataDir));
  if (!fs.existsSync(f)) return {};
  const s = JSON.parse(fs.readFileSync(f, "utf8")) as State;
  return Object.fromEntries(Object.entries(s.pids).filter(([, pid]) => alive(pid)));
}

/** Stops one component (fault injection: e.g. the API server in the middle of an update). */
export function killComponent(dataDir: string, component: Component): void {
  const s = JSON.parse(fs.readFileSync(stateFile(path.resolve(dataDir)), "utf8")) as State;
  if (alive(s.pids[component])) process.kill(s.pids[component]!, "SIGKILL");
}
