/**
 * Running a render's serving pod with the pod runner: the store it reads (an HTTP endpoint inside
 * its egress, or a claim), time to ready against its startup probe budget, and what a run leaves
 * behind.
 */
import * as fs from "fs";
import * as path from "path";
import { Endpoint, runPod, RunningPod } from "../../lib/server/pod";
import { httpStoreTree } from "../../lib/server/dataset";
import { K8sObject } from "../../contract/k8s";
import { env } from "../../contract/env";
import { servingWorkload } from "./renders";
import { datasetIds, ServerTier, scratchDir } from "./support";

/** Where a render's HTTP store lives for the run: the endpoint's address inside the pod's egress. */
export interface StoreEndpoint {
  /** The base URL the pod is given (scheme http: the endpoint has no certificate the server's bundled roots accept). */
  readonly url: string;
  /** The host's address inside the egress CIDR (what the cluster DNS would answer for a name). */
  readonly address: string;
}

export interface PodRun {
  readonly pod: RunningPod;
  readonly endpoint?: Endpoint;
  readonly objects: K8sObject[];
  /** From creation to ready, in milliseconds. */
  readyMs?: number;
}

/** The startup probe's budget: initialDelaySeconds + periodSeconds x failureThreshold (Kubernetes' defaults 0, 10, 3). */
export function startupBudgetMs(container: any): number {
  const p = container.startupProbe ?? {};
  return ((p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3)) * 1000;
}

/** The server's start-up delay for a pod: a polynomial hash of its HOSTNAME modulo the jitter maximum. */
export function startupJitterMs(hostname: string, maxMs: number): number {
  if (maxMs === 0) return 0;
  let seed = 0n;
  for (const b of Buffer.from(hostname)) seed = (seed * 131n + BigInt(b)) & ((1n << 64n) - 1n);
  return Number(seed % BigInt(maxMs));
}

/** Times to ready, printed at the end of the tier. */
export const readyTimes: { render: string; readyMs: number; budgetMs: number; jitterMs: number }[] = [];

export interface RunOptions {
  readonly claims?: Record<string, string>;
  /** Serve the synthetic store over HTTP at this base URL (its host and port) from this address. */
  readonly httpStore?: StoreEndpoint;
  readonly podName?: string;
}

export async function runServingPod(tier: ServerTier, objects: K8sObject[], opts: RunOptions = {}): Promise<PodRun> {
  const workload = servingWorkload(objects);
  let endpoint: Endpoint | undefined;
  const dnsRecords: Record<string, string> = {};
  let beforeStart: ((pod: RunningPod) => Promise<void>) | undefined;
  if (opts.httpStore) {
    const url = new URL(opts.httpStore.url);
    const root = scratchDir(tier, "http-store");
    httpStoreTree(tier.store.storeRoot, datasetIds, root, url.pathname);
    if (url.hostname !== opts.httpStore.address) dnsRecords[url.hostname] = opts.httpStore.address;
    beforeStart = async (pod) => {
      endpoint = await pod.startHttpEndpoint({ address: opts.httpStore!.address, port: Number(url.port || 80), root });
    };
  }
  const pod = await runPod(objects, { kind: workload.kind!, name: workload.metadata!.name! }, {
    binaries: tier.binaries,
    claims: opts.claims,
    dnsRecords,
    beforeStart,
    podName: opts.podName,
  });
  return { pod, endpoint, objects };
}

/** Waits for ready (at most the startup budget, capped so a broken run fails in minutes) and records the time. */
export async function waitServingReady(run: PodRun, render: string): Promise<number> {
  const container = servingWorkloadContainer(run.objects);
  const budget = startupBudgetMs(container);
  const readyMs = await run.pod.waitReady(Math.min(budget, 120_000));
  run.readyMs = readyMs;
  const configMap = run.objects.find((o) => o.kind === "ConfigMap" && o.data?.[env.startupWarmupJitterMaxMs] !== undefined);
  const jitterMs = startupJitterMs(run.pod.plan.selected.hostname, Number(configMap?.data[env.startupWarmupJitterMaxMs] ?? 0));
  readyTimes.push({ render, readyMs, budgetMs: budget, jitterMs });
  return readyMs;
}

export function servingWorkloadContainer(objects: readonly K8sObject[]): any {
  const w = servingWorkload(objects);
  return w.spec.template.spec.containers[0];
}

/** Query string selecting a dataset. */
export function datasetQuery(id: string): string {
  const [release, species, assembly] = id.split("/");
  return `release=${release}&species=${species}&assembly=${assembly}`;
}

/** What a run could leave on the machine, captured while it runs. */
export interface RunTraces {
  readonly netns: string;
  readonly pids: number[];
  readonly dir: string;
  readonly cgroups: string[];
}

export function tracesOf(pod: RunningPod): RunTraces {
  const holder = pod.holderPid!;
  const netns = fs.readlinkSync(`/proc/${holder}/ns/net`);
  const pids = [holder, ...pod.status().containers.map((c) => c.pid).filter((p): p is number => p !== undefined)];
  return { netns, pids, dir: pod.dir, cgroups: pod.cgroupPaths };
}

/** Everything of `traces` still present: processes in the pod's network namespace, its pids, its run directory, cgroups, host mounts under its directory. */
export function leftovers(traces: RunTraces): string[] {
  const left: string[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/ns/net`) === traces.netns) left.push(`process ${entry} in the pod's network namespace ${traces.netns}`);
    } catch {
      /* exited meanwhile, or a kernel thread */
    }
  }
  for (const pid of traces.pids) if (fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ")) left.push(`process ${pid}`);
  if (fs.existsSync(traces.dir)) left.push(`run directory ${traces.dir}`);
  for (const c of traces.cgroups) if (fs.existsSync(c)) left.push(`cgroup ${c}`);
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter((l) => l.includes(traces.dir + path.sep) || l.includes(` ${traces.dir} `));
  for (const m of mounts) left.push(`mount ${m}`);
  return left;
}
