/**
 * Named ephemeral clusters on this machine: the local control plane with a real node, the atlas
 * image built from the pinned server binaries and imported by digest, the chart's offline profile
 * deployed on it, and a smoke test through its Service. Each lives in its own data directory under
 * `${XDG_STATE_HOME:-~/.local/state}/bijux-atlas/ephemeral/<name>`; `down` stops it and removes it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { atlasName, atlasNameLabel, atlasNamespaceLabels } from "../../contract/labels";
import { probePaths } from "../../contract/pod";
import { K8sObject, renderProfile } from "../chartProfiles";
import { poll } from "../poll";
import { atlasImage } from "../image/images";
import { ensureServerBinaries } from "../toolchain/crates";
import { debianPackages, ensureDebianPackages } from "../toolchain/debian";
import { buildKubeBinaries, controlPlaneBinaries, nodeBinaries } from "../toolchain/kube";
import { manifestList } from "./clusterDns";
import { running, start, stop } from "./controlPlane";
import { kubectl } from "./kubeconfig";
import { importIntoNodes, readState } from "./realNodes";

/** Names double as directory names and part of a socket path: short, lower-case DNS labels. */
const namePattern = /^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/;

export function checkName(name: string): string {
  if (!namePattern.test(name)) throw new Error(`ephemeral cluster name: received ${JSON.stringify(name)}; allowed: 1-16 lower-case letters, digits and '-', starting and ending with a letter or digit`);
  return name;
}

export function ephemeralRoot(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
  return path.join(state, "bijux-atlas", "ephemeral");
}

export const ephemeralDir = (name: string) => path.join(ephemeralRoot(), checkName(name));

/** The namespace the release goes to. */
export const releaseNamespace = "atlas";

/**
 * Values of the chart's offline profile on a real node of this machine: one replica of the image
 * built here (by digest), a small emptyDir cache starting empty (no pinned datasets), no add-on
 * that needs CRDs or a metrics pipeline, requests a laptop-sized node can schedule.
 */
export function realNodeReleaseValues(image: { repository: string; digest: string }): Record<string, unknown> {
  return {
    image: { repository: image.repository, digest: image.digest },
    server: { replicas: 1, startupProbe: { periodSeconds: 2 }, readinessProbe: { periodSeconds: 2 } },
    hpa: { enabled: false },
    pdb: { enabled: false },
    serviceMonitor: { enabled: false },
    cache: { existingClaim: "", diskSize: "32Mi", maxDiskBytes: 16 * 1024 * 1024, tmpSize: "16Mi", pinnedDatasets: [], initPrewarm: { enabled: false }, warmupJitterSeconds: 0 },
    resources: { requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "64Mi" }, limits: { cpu: "1000m", memory: "512Mi", "ephemeral-storage": "128Mi" } },
  };
}

/** The chart's offline profile rendered for a real node, into `namespace`. */
export function realNodeRelease(namespace: string, image: { repository: string; digest: string }): K8sObject[] {
  return renderProfile("offline", { namespace, values: realNodeReleaseValues(image) });
}

/** An HTTP GET run inside network namespace `nsPath` (a node's): "<status> <body>", or the error code. */
export function httpGetIn(nsPath: string, url: string, ms = 5000): string {
  const script = `
    const http = require("http");
    const req = http.get(${JSON.stringify(url)}, { timeout: ${ms} }, (res) => {
      let body = ""; res.on("data", (d) => (body += d)); res.on("end", () => { console.log(res.statusCode + " " + body.trim()); process.exit(0); });
    });
    req.on("timeout", () => { console.log("timeout"); process.exit(0); });
    req.on("error", (e) => { console.log(e.code); process.exit(0); });
  `;
  return execFileSync("nsenter", [`--net=${nsPath}`, process.execPath, "-e", script], { encoding: "utf8", timeout: ms + 10_000 }).trim();
}

export interface EphemeralUp {
  name: string;
  dataDir: string;
  kubeconfigPath: string;
  imageRef: string;
  /** Seconds per phase, in order. */
  timings: Record<string, number>;
  /** What the Service answered on the readiness path. */
  smoke: string;
}

type Log = (line: string) => void;

/** A deploy is watched through kubectl, a process per look: once a second is often enough. */
const pollEverySecond = 1000;

/** Brings the named cluster up (idempotent: a running one is redeployed and smoke-tested again). */
export async function up(name: string, log: Log): Promise<EphemeralUp> {
  const dataDir = ephemeralDir(name);
  const timings: Record<string, number> = {};
  let t = Date.now();
  const lap = (phase: string) => {
    timings[phase] = (Date.now() - t) / 1000;
    t = Date.now();
  };
  if (process.getuid?.() !== 0) throw new Error("ephemeral clusters run real nodes, which need root (network namespaces, cgroups, mounts)");
  ensureDebianPackages(debianPackages.realNode, log);
  buildKubeBinaries([...controlPlaneBinaries, ...nodeBinaries], log);
  const server = await ensureServerBinaries();
  lap("toolchain");
  const image = atlasImage({ server: server.server, cli: server.cli }, log);
  lap("image");
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const cluster = await start({ dataDir, nodes: 0, realNodes: 1, log });
  importIntoNodes(dataDir, image);
  lap("cluster");
  const objects = realNodeRelease(releaseNamespace, image);
  const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: releaseNamespace, labels: atlasNamespaceLabels } };
  kubectl(cluster.kubeconfigPath, ["apply", "-f", "-"], manifestList([namespace, ...objects]));
  const selector = `${atlasNameLabel}=${atlasName}`;
  await poll("an atlas pod Ready", 300_000, () => {
    const out = kubectl(cluster.kubeconfigPath, ["get", "pods", "-n", releaseNamespace, "-l", selector, "-o", 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    return out.split("\n").includes("True") ? true : undefined;
  }, pollEverySecond);
  lap("release Ready");
  const svc = objects.find((o) => o.kind === "Service");
  if (!svc) throw new Error("the chart rendered no Service");
  const ip = kubectl(cluster.kubeconfigPath, ["get", "service", "-n", releaseNamespace, svc.metadata.name, "-o", "jsonpath={.spec.clusterIP}"]).trim();
  const port = (svc.spec.ports as { port: number }[])[0].port;
  const node = cluster.network!.nodes[0];
  const smoke = await poll("the Service answering", 60_000, () => {
    const r = httpGetIn(`/run/netns/${node.netns}`, `http://${ip}:${port}${probePaths.readiness}`);
    return r.startsWith("200 ") ? r : undefined;
  }, pollEverySecond);
  lap("smoke");
  return { name, dataDir, kubeconfigPath: cluster.kubeconfigPath, imageRef: image.ref, timings, smoke };
}

/** Stops the named cluster and removes its data directory; nothing to do when it does not exist. */
export async function down(name: string): Promise<boolean> {
  const dataDir = ephemeralDir(name);
  if (!fs.existsSync(dataDir)) return false;
  await stop(dataDir);
  return true;
}

export interface EphemeralEntry {
  name: string;
  dataDir: string;
  running: boolean;
  slot?: number;
  kubeconfigPath: string;
}

/** The ephemeral clusters of this machine, running or left behind. */
export function list(): EphemeralEntry[] {
  const root = ephemeralRoot();
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((n) => namePattern.test(n))
    .map((name) => {
      const dataDir = path.join(root, name);
      return { name, dataDir, running: running(dataDir)["kube-apiserver"] !== undefined, slot: readState(dataDir)?.network.slot, kubeconfigPath: path.join(dataDir, "kubeconfig") };
    });
}
