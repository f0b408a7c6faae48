/**
 * A running pod: its sandbox, volumes and network, and a kubelet loop over its containers (init
 * containers in order, each to exit 0; then the main containers with their probes, restarts per
 * restartPolicy with the kubelet's back-off, and termination with the grace period). Status,
 * events and timings are kept the way `kubectl describe pod` shows them.
 */
import { spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ContainerCgroup, runCgroupDirs } from "./cgroups";
import { BindSpec, ContainerExit, ContainerProcess, createMountPoints } from "./container";
import { PodSpecError, SandboxError } from "./errors";
import { appFiles, ImageConfig, serverImage, writeImageRoot } from "./image";
import { hostsFile, resolvConf } from "./kubeletFiles";
import { Endpoint, isolatedNetwork, PeerNetwork } from "./network";
import { ContainerPlan, planPod, PlanOptions, PodPlan } from "./plan";
import { httpRequest, HttpResponse } from "./podHttp";
import { ProbeKind, ProbeResult, ProbeWorker, resolvePort } from "./probes";
import { PodSandbox } from "./sandbox";
import { seccompFilter } from "./seccomp";
import { RunRecord, runsRoot } from "./state";
import { containerMounts, materializeVolumes } from "./volumes";
import { PodTarget } from "./select";
import { K8sObject } from "../../../contract/k8s";

export interface RunPodOptions extends Omit<PlanOptions, "image"> {
  /** The pinned binaries the image's /app holds (ensureServerBinaries()). */
  readonly binaries: { readonly server: string; readonly cli: string };
  readonly image?: ImageConfig;
  /** First restart delay of a crashed container; doubles per restart up to 5 minutes (the kubelet's: 10 s). */
  readonly restartBackoffMs?: number;
  /**
   * Names the cluster's DNS would resolve for the pod (a store's hostname, say). No DNS server
   * runs for the runner's pods, so they are answered from the pod's /etc/hosts.
   */
  readonly dnsRecords?: Readonly<Record<string, string>>;
  /** Runs once the sandbox and network exist, before the first container starts (to bring up an endpoint the pod reaches at start). */
  readonly beforeStart?: (pod: RunningPod) => Promise<void>;
}

export interface PodEvent {
  /** Milliseconds since the pod was created. */
  readonly at: number;
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly container?: string;
  readonly message: string;
}

export type ContainerState =
  | { readonly waiting: { readonly reason: string; readonly message?: string } }
  | { readonly running: { readonly startedAt: number } }
  | { readonly terminated: ContainerExit & { readonly startedAt: number } };

export interface ContainerStatus {
  readonly name: string;
  readonly kind: "init" | "main";
  readonly state: ContainerState;
  readonly lastState?: ContainerState;
  readonly started: boolean;
  readonly ready: boolean;
  readonly restartCount: number;
  /** Host pid of the container's pid 1 while it runs. */
  readonly pid?: number;
}

export interface StopReport {
  readonly containers: readonly {
    readonly name: string;
    readonly exitCode: number;
    readonly signal?: string;
    readonly reason: string;
    /** From SIGTERM to exit, in milliseconds. */
    readonly drainMs: number;
    /** It outlived the grace period and was SIGKILLed. */
    readonly killed: boolean;
  }[];
  readonly ms: number;
}

const maxBackoffMs = 300_000;

class Slot {
  proc?: ContainerProcess;
  readonly history: ContainerProcess[] = [];
  restartCount = 0;
  state: ContainerState = { waiting: { reason: "PodInitializing" } };
  lastState?: ContainerState;
  started = false;
  ready = false;
  firstStartedAt?: number;
  firstReadyAt?: number;
  workers: ProbeWorker[] = [];
  lastProbe: Partial<Record<ProbeKind, ProbeResult>> = {};
  killing?: Promise<void>;
  /** Runs once the startup probe succeeds (or at once without one). */
  afterStartup?: () => void;
  /** When the current instance got SIGTERM, and whether the grace period ran out. */
  termAt?: number;
  killedAfterGrace = false;
  constructor(readonly plan: ContainerPlan) {}
}

export class RunningPod {
  readonly createdAt = Date.now();
  readonly events: PodEvent[] = [];
  readonly name: string;
  readonly namespace: string;
  readonly podIP: string;
  private readonly slots: Slot[];
  private record?: RunRecord;
  private sandbox?: PodSandbox;
  private peer?: PeerNetwork;
  private imageTemplate = "";
  private cgroupDirs?: ReturnType<typeof runCgroupDirs>;
  private appStage: BindSpec[] = [];
  private stopping = false;
  private timers = new Set<NodeJS.Timeout>();
  private initializedAt?: number;
  private sandboxReadyAt?: number;
  private torn = false;
  private readonly image: ImageConfig;
  private readonly backoffMs: number;

  constructor(
    readonly plan: PodPlan,
    readonly runId: string,
    private readonly opts: RunPodOptions,
  ) {
    this.name = plan.selected.podName;
    this.namespace = plan.selected.namespace;
    this.podIP = plan.podIP;
    this.slots = [...plan.init, ...plan.main].map((p) => new Slot(p));
    this.image = opts.image ?? serverImage;
    this.backoffMs = opts.restartBackoffMs ?? 10_000;
  }

  /** Host pid of the sandbox's holder (the process owning the pod's namespaces), once set up. */
  get holderPid(): number | undefined {
    return this.sandbox?.pid;
  }

  /** The pod's cgroup directories (removed by stop). */
  get cgroupPaths(): string[] {
    return this.cgroupDirs ? Object.values(this.cgroupDirs) : [];
  }

  /** The run directory (logs, the pod's kubelet files, volume staging). */
  get dir(): string {
    return this.record?.dir ?? path.join(runsRoot(), this.runId);
  }

  private event(type: PodEvent["type"], reason: string, message: string, container?: string): void {
    this.events.push({ at: Date.now() - this.createdAt, type, reason, container, message });
  }

  /** Creates the sandbox, network, volumes and image root. */
  async setUp(): Promise<void> {
    this.record = new RunRecord(this.runId);
    this.cgroupDirs = runCgroupDirs(this.runId);
    this.record.addCgroups(Object.values(this.cgroupDirs));
    this.imageTemplate = path.join(this.dir, "image");
    writeImageRoot(this.imageTemplate, [this.opts.binaries.server, this.opts.binaries.cli], this.image);
    this.sandbox = await PodSandbox.start(this.record, this.plan.selected.hostname);
    // The pinned binaries, read-only, each at its image path; staged in the pod's mount namespace
    // so the unprivileged container user never needs to traverse the caller's cache directory.
    const appDir = path.join(this.dir, "app");
    fs.mkdirSync(appDir, { mode: 0o755 });
    for (const f of appFiles(this.opts.binaries)) {
      const staged = path.join(appDir, path.basename(f.imagePath));
      fs.writeFileSync(staged, "", { mode: 0o755 });
      await this.sandbox.bindMount(f.hostPath, staged, true);
      this.appStage.push({ source: staged, dest: f.imagePath, readOnly: true });
    }
    const egress = this.plan.egress;
    if (egress.unrestricted || egress.cidrs.length > 0) this.peer = await PeerNetwork.connect(this.record, this.sandbox.pid, this.podIP, egress);
    else await isolatedNetwork(this.sandbox.pid, this.podIP);
    await materializeVolumes(this.plan.volumes, this.sandbox, this.plan.fsGroup, this.plan.fsGroupChangePolicy);
    const spec = this.plan.selected.template.spec;
    fs.writeFileSync(path.join(this.dir, "hosts"), hostsFile(spec, this.plan.selected.hostname, this.podIP, this.namespace, this.opts.dnsRecords), { mode: 0o644 });
    fs.writeFileSync(path.join(this.dir, "hostname"), `${this.plan.selected.hostname}\n`, { mode: 0o644 });
    fs.writeFileSync(path.join(this.dir, "resolv.conf"), resolvConf(spec, this.namespace), { mode: 0o644 });
    this.sandboxReadyAt = Date.now();
    this.event("Normal", "SandboxReady", `pod ${this.name} sandbox ready, IP ${this.podIP}, ${this.peer ? "egress to " + (egress.unrestricted ? "anywhere (no policy restricts it)" : egress.cidrs.map((c) => c.cidr).join(", ")) : "loopback only"}`);
  }

  /** Starts the kubelet loop: init containers, then the main containers. */
  start(): void {
    void this.lifecycle().catch((err) => this.event("Warning", "Failed", (err as Error).message));
  }

  private async lifecycle(): Promise<void> {
    for (const slot of this.slots.filter((s) => s.plan.kind === "init")) {
      for (;;) {
        if (this.stopping) return;
        const exit = await this.startContainer(slot);
        if (this.stopping) return;
        if (exit.exitCode === 0) break;
        if (this.plan.restartPolicy === "Never") {
          this.event("Warning", "Failed", `init container ${slot.plan.name} exited ${exit.exitCode}; restartPolicy Never: the pod failed`, slot.plan.name);
          for (const s of this.slots.filter((x) => x.plan.kind === "main")) s.state = { waiting: { reason: "PodInitializing", message: "init container failed" } };
          return;
        }
        await this.backoff(slot);
      }
    }
    this.initializedAt = Date.now();
    for (const slot of this.slots.filter((s) => s.plan.kind === "main")) void this.supervise(slot);
  }

  private async supervise(slot: Slot): Promise<void> {
    while (!this.stopping) {
      const exit = await this.startContainer(slot);
      this.stopProbes(slot);
      if (this.stopping) return;
      const restart = this.plan.restartPolicy === "Always" || (this.plan.restartPolicy === "OnFailure" && exit.exitCode !== 0);
      if (!restart) return;
      await this.backoff(slot);
    }
  }

  private backoff(slot: Slot): Promise<void> {
    const delay = Math.min(maxBackoffMs, this.backoffMs * 2 ** Math.max(0, slot.restartCount));
    slot.lastState = slot.state;
    slot.state = { waiting: { reason: "CrashLoopBackOff", message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${slot.plan.name} pod=${this.name}` } };
    this.event("Warning", "BackOff", `Back-off restarting failed container ${slot.plan.name} in pod ${this.name}`, slot.plan.name);
    slot.restartCount++;
    return this.sleep(delay);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  /** Where a path of the container's filesystem lives for the host (for resolving the executable). */
  private hostPathIn(rootDir: string, binds: readonly BindSpec[], p: string): string {
    const mounted = [...binds].sort((a, b) => b.dest.length - a.dest.length).find((b) => p === b.dest || p.startsWith(b.dest.endsWith("/") ? b.dest : `${b.dest}/`));
    if (!mounted) return path.join(rootDir, p);
    return this.sandbox!.hostView(path.join(mounted.source, path.relative(mounted.dest, p)));
  }

  private resolveExecutable(plan: ContainerPlan, rootDir: string, binds: readonly BindSpec[]): string {
    const name = plan.command[0];
    if (!name) throw new PodSpecError(plan.where, "has no command and the image has no entrypoint");
    const executable = (p: string) => {
      try {
        const host = this.hostPathIn(rootDir, binds, p);
        return fs.statSync(host).isFile() && (fs.statSync(host).mode & 0o111) !== 0;
      } catch {
        return false;
      }
    };
    if (name.includes("/")) {
      if (!executable(name)) throw new PodSpecError(plan.where, `exec: "${name}": stat ${name}: no such file or directory`);
      return name;
    }
    for (const dir of (plan.env.PATH ?? "").split(":").filter(Boolean)) {
      if (executable(path.posix.join(dir, name))) return path.posix.join(dir, name);
    }
    throw new PodSpecError(plan.where, `exec: "${name}": executable file not found in $PATH`);
  }

  /** Starts an instance of the container; resolves when it has exited. */
  private async startContainer(slot: Slot): Promise<ContainerExit> {
    const plan = slot.plan;
    const instance = `${plan.name}-${slot.restartCount}`;
    const dir = path.join(this.dir, "containers", instance);
    const rootDir = path.join(dir, "root");
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    // A fresh copy of the image root per container instance, like a new writable layer.
    const cp = spawnSync("cp", ["-a", this.imageTemplate, rootDir]);
    if (cp.status !== 0) throw new SandboxError(`copying the image root for ${instance}: ${cp.stderr.toString().trim()}`);
    const termination = path.join(dir, "termination-log");
    fs.writeFileSync(termination, "", { mode: 0o666 });
    fs.chmodSync(termination, 0o666);
    const volumeMounts = containerMounts(plan.spec, this.plan.volumes, this.sandbox!, plan.env, plan.where);
    const binds: BindSpec[] = [
      ...this.appStage,
      { source: path.join(this.dir, "hosts"), dest: "/etc/hosts", readOnly: false },
      { source: path.join(this.dir, "hostname"), dest: "/etc/hostname", readOnly: false },
      { source: path.join(this.dir, "resolv.conf"), dest: "/etc/resolv.conf", readOnly: false },
      { source: termination, dest: plan.spec.terminationMessagePath ?? "/dev/termination-log", readOnly: false },
      ...volumeMounts.map((m) => ({ source: m.source, dest: m.mountPath, readOnly: m.readOnly })),
    ];
    createMountPoints(rootDir, [
      ...binds.slice(0, 5).map((b) => ({ dest: b.dest, isFile: true })),
      ...volumeMounts.map((m) => ({ dest: m.mountPath, isFile: m.isFile })),
    ]);
    if (!fs.existsSync(path.join(rootDir, plan.workingDir))) fs.mkdirSync(path.join(rootDir, plan.workingDir), { recursive: true, mode: 0o755 });
    let exe: string;
    try {
      exe = this.resolveExecutable(plan, rootDir, binds);
    } catch (err) {
      return this.failedStart(slot, (err as Error).message);
    }
    const cgroup = ContainerCgroup.create(this.cgroupDirs!, instance, plan.limits);
    this.event("Normal", "Created", `Created container ${plan.name}`, plan.name);
    const proc = new ContainerProcess(
      {
        name: plan.name,
        holderPid: this.sandbox!.pid,
        rootDir,
        security: plan.security,
        env: plan.env,
        argv: [exe, ...plan.command.slice(1)],
        workingDir: plan.workingDir,
        binds,
        cgroup,
        seccomp: seccompFilter(plan.security.seccomp),
        logFile: path.join(dir, "log"),
      },
      this.record!,
    );
    slot.proc = proc;
    slot.history.push(proc);
    slot.started = false;
    slot.ready = false;
    slot.lastProbe = {};
    slot.termAt = undefined;
    slot.killedAfterGrace = false;
    const exited = proc.exited.then((exit) => {
      this.onExit(slot, proc, exit, termination, cgroup);
      return exit;
    });
    const pid = await proc.started();
    if (pid !== undefined && !proc.exit) {
      slot.state = { running: { startedAt: proc.startedAt } };
      this.event("Normal", "Started", `Started container ${plan.name}`, plan.name);
      if (plan.kind === "main") this.startProbes(slot, proc);
    }
    return exited;
  }

  /** The container could not be created (its executable is missing, say): terminated with StartError. */
  private failedStart(slot: Slot, message: string): ContainerExit {
    this.event("Warning", "Failed", `Error: ${message}`, slot.plan.name);
    const now = Date.now();
    const exit: ContainerExit = { exitCode: 128, reason: "StartError", message, finishedAt: now };
    slot.state = { terminated: { ...exit, startedAt: now } };
    return exit;
  }

  private onExit(slot: Slot, proc: ContainerProcess, exit: ContainerExit, termination: string, cgroup: ContainerCgroup): void {
    let message = exit.message;
    try {
      const written = fs.readFileSync(termination, "utf8").slice(0, 4096);
      if (written) message = written;
    } catch {
      /* the run directory is gone */
    }
    if (!message && exit.exitCode !== 0 && slot.plan.spec.terminationMessagePolicy === "FallbackToLogsOnError") message = proc.tail(80).join("\n").slice(-2048);
    if (slot.proc === proc) {
      slot.state = { terminated: { ...exit, message, startedAt: proc.startedAt } };
      slot.ready = false;
    }
    this.event(exit.exitCode === 0 ? "Normal" : "Warning", exit.reason === "StartError" ? "Failed" : "Terminated", `container ${slot.plan.name} exited with ${exit.exitCode}${exit.signal ? ` (${exit.signal})` : ""}: ${exit.reason}${message ? `: ${message.trim().split("\n").slice(-1)[0]}` : ""}`, slot.plan.name);
    cgroup.remove();
  }

  private probeContext(slot: Slot) {
    return {
      podIP: this.podIP,
      containerPorts: slot.plan.spec.ports ?? [],
      connect: (h: string, p: number, t: number) => this.sandbox!.connect(h, p, t),
      exec: (command: readonly string[], timeoutMs: number) => this.exec(slot.plan.name, command, { timeoutMs }),
      where: slot.plan.where,
    };
  }

  private startProbes(slot: Slot, proc: ContainerProcess): void {
    const spec = slot.plan.spec;
    const begin = (kind: ProbeKind, probe: any) => {
      const w = new ProbeWorker(kind, probe, this.probeContext(slot), proc.startedAt, (r, flipped) => this.onProbe(slot, proc, probe, r, flipped));
      slot.workers.push(w);
      w.start();
    };
    const afterStartup = () => {
      slot.started = true;
      slot.firstStartedAt ??= Date.now();
      if (spec.readinessProbe) begin("readiness", spec.readinessProbe);
      else this.markReady(slot, true);
      if (spec.livenessProbe) begin("liveness", spec.livenessProbe);
    };
    if (spec.startupProbe) {
      slot.afterStartup = afterStartup;
      begin("startup", spec.startupProbe);
    } else {
      afterStartup();
    }
  }

  private markReady(slot: Slot, ready: boolean): void {
    if (slot.ready === ready) return;
    slot.ready = ready;
    if (ready) slot.firstReadyAt ??= Date.now();
  }

  private onProbe(slot: Slot, proc: ContainerProcess, probe: any, r: ProbeResult, flipped: boolean): void {
    if (slot.proc !== proc || proc.exit) return;
    slot.lastProbe[r.kind] = r;
    const label = r.kind[0].toUpperCase() + r.kind.slice(1);
    if (!r.ok) this.event("Warning", "Unhealthy", `${label} probe failed: ${r.message}`, slot.plan.name);
    if (!flipped) return;
    const worker = slot.workers.find((w) => w.kind === r.kind);
    if (r.kind === "startup") {
      if (worker?.state) {
        worker.stop();
        slot.afterStartup?.();
      } else {
        void this.killContainer(slot, `Container ${slot.plan.name} failed startup probe, will be restarted`, probe.terminationGracePeriodSeconds);
      }
    } else if (r.kind === "readiness") {
      this.markReady(slot, worker?.state === true);
    } else if (worker?.state === false) {
      void this.killContainer(slot, `Container ${slot.plan.name} failed liveness probe, will be restarted`, probe.terminationGracePeriodSeconds);
    }
  }

  private stopProbes(slot: Slot): void {
    for (const w of slot.workers) w.stop();
    slot.workers = [];
  }

  /** The kubelet's kill: preStop hook, SIGTERM, the grace period, SIGKILL. */
  private killContainer(slot: Slot, why: string, graceSeconds?: number, deadline?: number): Promise<void> {
    const proc = slot.proc;
    if (!proc || proc.exit) return Promise.resolve();
    if (slot.killing) return slot.killing;
    this.stopProbes(slot);
    this.event("Normal", "Killing", why, slot.plan.name);
    const end = deadline ?? Date.now() + (graceSeconds ?? this.plan.gracePeriodMs / 1000) * 1000;
    slot.killing = (async () => {
      const preStop = slot.plan.spec.lifecycle?.preStop;
      if (preStop) await Promise.race([this.runHook(slot, preStop, end - Date.now()).catch(() => undefined), this.sleep(Math.max(0, end - Date.now()))]);
      slot.termAt = Date.now();
      proc.signal("SIGTERM");
      const left = Math.max(0, end - Date.now());
      const exited = await Promise.race([proc.exited.then(() => true), this.sleep(left).then(() => false)]);
      if (!exited) {
        slot.killedAfterGrace = true;
        proc.signal("SIGKILL");
        await proc.exited;
      }
    })().finally(() => (slot.killing = undefined));
    return slot.killing;
  }

  private async runHook(slot: Slot, hook: any, timeoutMs: number): Promise<void> {
    if (hook.sleep) return this.sleep(Math.min(timeoutMs, hook.sleep.seconds * 1000));
    if (hook.exec) {
      await this.exec(slot.plan.name, hook.exec.command ?? [], { timeoutMs });
      return;
    }
    if (hook.httpGet) {
      const port = resolvePort(hook.httpGet.port, slot.plan.spec.ports ?? [], slot.plan.where);
      await httpRequest((h, p, t) => this.sandbox!.connect(h, p, t), { host: hook.httpGet.host ?? this.podIP, port, path: hook.httpGet.path ?? "/", timeoutMs });
    }
  }

  // ---- what callers see ----------------------------------------------------------------

  status(): { phase: string; ready: boolean; initialized: boolean; containers: ContainerStatus[] } {
    const main = this.slots.filter((s) => s.plan.kind === "main");
    const containers = this.slots.map((s) => ({
      name: s.plan.name,
      kind: s.plan.kind,
      state: s.state,
      lastState: s.lastState,
      started: s.started,
      ready: s.ready,
      restartCount: s.restartCount,
      pid: s.proc && !s.proc.exit ? s.proc.appPid : undefined,
    }));
    const terminated = main.every((s) => "terminated" in s.state);
    const failedInit = this.slots.some((s) => s.plan.kind === "init" && "terminated" in s.state && s.state.terminated.exitCode !== 0) && this.plan.restartPolicy === "Never";
    const phase = failedInit
      ? "Failed"
      : !this.initializedAt
        ? "Pending"
        : terminated && this.plan.restartPolicy !== "Always"
          ? main.every((s) => "terminated" in s.state && s.state.terminated.exitCode === 0) ? "Succeeded" : "Failed"
          : "Running";
    return { phase, ready: !!this.initializedAt && main.every((s) => s.ready), initialized: !!this.initializedAt, containers };
  }

  /** Milliseconds from the pod's creation to each milestone reached so far. */
  timings(): { sandboxMs?: number; initializedMs?: number; readyMs?: number; containers: Record<string, { startedMs?: number; readyMs?: number }> } {
    const rel = (t?: number) => (t === undefined ? undefined : t - this.createdAt);
    const main = this.slots.filter((s) => s.plan.kind === "main");
    const readyAt = main.every((s) => s.firstReadyAt !== undefined) ? Math.max(...main.map((s) => s.firstReadyAt!)) : undefined;
    return {
      sandboxMs: rel(this.sandboxReadyAt),
      initializedMs: rel(this.initializedAt),
      readyMs: rel(readyAt),
      containers: Object.fromEntries(this.slots.map((s) => [s.plan.name, { startedMs: rel(s.firstStartedAt), readyMs: rel(s.firstReadyAt) }])),
    };
  }

  private slot(name: string): Slot {
    const s = this.slots.find((x) => x.plan.name === name);
    if (!s) throw new Error(`pod ${this.name} has no container ${name} (containers: ${this.slots.map((x) => x.plan.name).join(", ")})`);
    return s;
  }

  /** Log lines of a container's current (or, with previous, every earlier) instance. */
  logs(container: string, opts: { previous?: boolean; tail?: number } = {}): string[] {
    const s = this.slot(container);
    const procs = opts.previous ? s.history : s.proc ? [s.proc] : [];
    const lines = procs.flatMap((p) => p.logs.map((l) => l.text));
    return opts.tail ? lines.slice(-opts.tail) : lines;
  }

  /** Host pid of a running container's pid 1. */
  pid(container: string): number {
    const p = this.slot(container).proc;
    if (!p || p.exit || p.appPid === undefined) throw new Error(`container ${container} of pod ${this.name} is not running`);
    return p.appPid;
  }

  /** /proc/<pid>/status of a running container's pid 1, as fields. */
  processStatus(container: string): Record<string, string> {
    const text = fs.readFileSync(`/proc/${this.pid(container)}/status`, "utf8");
    return Object.fromEntries(text.split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
  }

  /** The environment a running container's pid 1 started with. */
  environ(container: string): Record<string, string> {
    const raw = fs.readFileSync(`/proc/${this.pid(container)}/environ`, "utf8");
    return Object.fromEntries(raw.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  }

  /**
   * Runs a command inside a running container (like kubectl exec): its mount, pid, network, UTS
   * and IPC namespaces, its cgroup, its uid and gid, no_new_privs. Supplementary groups are not
   * carried over (nsenter drops them), and the image has no shell: run binaries it has.
   */
  exec(container: string, command: readonly string[], opts: { timeoutMs?: number } = {}): Promise<{ code: number; output: string }> {
    const s = this.slot(container);
    const pid = this.pid(container);
    const sec = s.plan.security;
    return new Promise((resolve) => {
      const child = spawn(
        "setpriv",
        ["--no-new-privs", "--", "nsenter", "--target", String(pid), "--mount", "--pid", "--net", "--uts", "--ipc", "--root", "--wd", "--setuid", String(sec.uid), "--setgid", String(sec.gid), "--", ...command],
        { env: { ...s.plan.env }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
      child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
      const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? 128 + (signal === "SIGKILL" ? 9 : 15), output });
      });
      child.on("error", (e) => {
        clearTimeout(timer);
        resolve({ code: 126, output: e.message });
      });
    });
  }

  /** The port a request goes to by default: the first main container's port named http, else its first port. */
  private defaultPort(): number {
    for (const s of this.slots.filter((x) => x.plan.kind === "main")) {
      const ports: any[] = s.plan.spec.ports ?? [];
      const p = ports.find((x) => x.name === "http") ?? ports[0];
      if (p) return p.containerPort;
    }
    throw new Error(`pod ${this.name} declares no container port; pass port`);
  }

  /** An HTTP request to the pod's IP from inside its network namespace. */
  request(p: string, opts: { port?: number; method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<HttpResponse> {
    return httpRequest((h, port, t) => this.sandbox!.connect(h, port, t), {
      host: this.podIP,
      port: opts.port ?? this.defaultPort(),
      path: p,
      method: opts.method,
      headers: opts.headers,
      body: opts.body,
      timeoutMs: opts.timeoutMs,
    });
  }

  /** A TCP connection from inside the pod's network namespace (to the pod or anywhere its egress reaches). */
  connect(host: string, port: number, timeoutMs = 2000) {
    return this.sandbox!.connect(host, port, timeoutMs);
  }

  /** Serves files at address:port in the peer namespace (only when the pod's egress allows CIDRs). */
  startHttpEndpoint(opts: { address: string; port: number; root: string }): Promise<Endpoint> {
    if (!this.peer) throw new Error(`pod ${this.name} has no peer network: its egress allows nothing beyond DNS`);
    return this.peer.startHttpEndpoint(opts);
  }

  /** The init container that keeps the pod from initializing, with its failed exit, while one does. */
  failedInit(): { container: string; exit: ContainerExit } | undefined {
    if (this.initializedAt) return undefined;
    for (const s of this.slots.filter((x) => x.plan.kind === "init")) {
      const exit = "terminated" in s.state ? s.state.terminated : s.lastState && "terminated" in s.lastState ? s.lastState.terminated : undefined;
      if (exit && exit.exitCode !== 0) return { container: s.plan.name, exit };
      if (!exit) return undefined;
    }
    return undefined;
  }

  /** Why the pod is not ready: a failed init container, container states, the last probe results, the last log lines. */
  whyNotReady(logLines = 15): string {
    const st = this.status();
    const failed = this.failedInit();
    const blocked = failed ? ` (init container ${failed.container} failed with exit code ${failed.exit.exitCode}${failed.exit.signal ? `, ${failed.exit.signal}` : ""}; the main containers wait for it)` : "";
    const out = [`pod ${this.name}: phase ${st.phase}, ${st.ready ? "ready" : "not ready"}${st.initialized ? "" : ", not initialized"}${blocked}`];
    const describe = (state: ContainerState) =>
      "running" in state ? "running" : "waiting" in state ? `waiting (${state.waiting.reason}${state.waiting.message ? `: ${state.waiting.message}` : ""})` : `terminated (exit ${state.terminated.exitCode}, ${state.terminated.reason}${state.terminated.message ? `: ${state.terminated.message.trim()}` : ""})`;
    for (const s of this.slots) {
      const last = s.lastState && "terminated" in s.lastState ? `, last state ${describe(s.lastState)}` : "";
      out.push(`  ${s.plan.kind} container ${s.plan.name}: ${describe(s.state)}${last}, started ${s.started}, ready ${s.ready}, restarts ${s.restartCount}`);
      for (const r of Object.values(s.lastProbe)) if (r) out.push(`    last ${r.kind} probe: ${r.ok ? "ok" : "failed"}: ${r.message}`);
      const tail = (s.proc ?? s.history[s.history.length - 1])?.tail(logLines) ?? [];
      if (tail.length) out.push(`    last log lines:`, ...tail.map((l) => `      ${l}`));
    }
    return out.join("\n");
  }

  /** Polls `check` until it returns a value other than undefined, or fails after timeoutMs with `why`. */
  async waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`${what}: not reached within ${timeoutMs} ms\n${this.whyNotReady()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves with the time to ready (ms since creation); rejects with why it is not ready after timeoutMs. */
  waitReady(timeoutMs = 60_000): Promise<number> {
    return this.waitFor(() => (this.status().ready ? Date.now() - this.createdAt : undefined), timeoutMs, `pod ${this.name} ready`);
  }

  /** The first termination of a container (its current or last state), waiting up to timeoutMs. */
  waitTerminated(container: string, timeoutMs = 60_000): Promise<ContainerExit & { startedAt: number }> {
    const s = this.slot(container);
    return this.waitFor(
      () => ("terminated" in s.state ? s.state.terminated : s.lastState && "terminated" in s.lastState ? s.lastState.terminated : undefined),
      timeoutMs,
      `container ${container} terminated`,
    );
  }

  /**
   * Deletes the pod as the kubelet does: preStop hooks, SIGTERM to every container, up to the
   * grace period (terminationGracePeriodSeconds, or `graceSeconds`), SIGKILL for the rest; then
   * removes the sandbox, network, volumes, cgroups and the run directory.
   */
  async stop(opts: { graceSeconds?: number } = {}): Promise<StopReport> {
    const started = Date.now();
    if (this.stopping) return { containers: [], ms: 0 };
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const grace = opts.graceSeconds !== undefined ? opts.graceSeconds * 1000 : this.plan.gracePeriodMs;
    const deadline = Date.now() + grace;
    const running = this.slots.filter((s) => s.proc && !s.proc.exit);
    await Promise.all(running.map((s) => this.killContainer(s, `Stopping container ${s.plan.name}`, undefined, deadline)));
    const containers = running.map((s) => {
      const p = s.proc!;
      const exit = p.exit!;
      return { name: s.plan.name, exitCode: exit.exitCode, signal: exit.signal, reason: exit.reason, drainMs: exit.finishedAt - (s.termAt ?? started), killed: s.killedAfterGrace };
    });
    await this.teardown();
    return { containers, ms: Date.now() - started };
  }

  /** Removes everything of the run (idempotent); used by stop and after a failed start. */
  async teardown(): Promise<void> {
    if (this.torn) return;
    this.torn = true;
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.slots) {
      this.stopProbes(s);
      s.proc?.signal("SIGKILL");
    }
    await Promise.all(this.slots.map((s) => s.proc?.exited));
    this.peer?.kill();
    this.sandbox?.kill();
    this.record?.undo();
  }
}

/**
 * Runs one pod of the rendered objects: `target` names the pod-bearing object (a Deployment, a
 * Job, a Pod...). Resolves once the sandbox is up and the containers are starting; use
 * waitReady / waitTerminated, and always stop() it. Refused pods (PodSpecError) leave nothing.
 */
export async function runPod(objects: readonly K8sObject[], target: PodTarget, opts: RunPodOptions): Promise<RunningPod> {
  const runId = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  const plan = planPod(objects, target, path.join(runsRoot(), runId), { ...opts, image: opts.image ?? serverImage });
  const pod = new RunningPod(plan, runId, opts);
  try {
    await pod.setUp();
    await opts.beforeStart?.(pod);
  } catch (err) {
    await pod.teardown();
    throw err;
  }
  pod.start();
  return pod;
}
