/**
 * One container process. The chain that starts it, each step exec'ing the next:
 *   sh       joins the container's cgroups (so limits apply from the first instruction)
 *   nsenter  enters the pod's mount, network, UTS and IPC namespaces (the holder's)
 *   setpriv  becomes the container's uid, gid and supplementary groups (host ids, as on a node)
 *   bwrap    unprivileged from here on: new user and pid namespaces, the image root and volumes
 *            mounted, no capabilities (bounding set cleared), no_new_privs, the seccomp filter,
 *            an environment of exactly the container's variables; the command runs as pid 1
 * The bwrap monitor exits with the command's status (128+n when a signal ends it).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { processRef } from "../../procfs";
import { ContainerCgroup } from "./cgroups";
import { ContainerSecurity } from "./security";
import { RunRecord } from "./state";

export interface BindSpec {
  readonly source: string;
  readonly dest: string;
  readonly readOnly: boolean;
}

export interface LaunchSpec {
  readonly name: string;
  readonly holderPid: number;
  /** The container's root filesystem (a fresh copy of the image root). */
  readonly rootDir: string;
  readonly security: ContainerSecurity;
  readonly env: Readonly<Record<string, string>>;
  /** Absolute executable inside the container, then its arguments. */
  readonly argv: readonly string[];
  readonly workingDir: string;
  /** Binds after the root, /proc and /dev, in order (files the kubelet manages, then volumes). */
  readonly binds: readonly BindSpec[];
  readonly cgroup: ContainerCgroup;
  /** Compiled seccomp filter (BPF), when the container's profile is RuntimeDefault. */
  readonly seccomp?: Buffer;
  readonly logFile: string;
}

export interface LogLine {
  readonly at: number;
  readonly stream: "stdout" | "stderr";
  readonly text: string;
}

export interface ContainerExit {
  readonly exitCode: number;
  /** Signal that ended the command, when one did. */
  readonly signal?: string;
  /** Completed (0), Error, OOMKilled (the cgroup's OOM killer fired), StartError (the command never ran). */
  readonly reason: "Completed" | "Error" | "OOMKilled" | "StartError";
  readonly message?: string;
  readonly finishedAt: number;
}

function signalName(n: number): string | undefined {
  return Object.entries(os.constants.signals).find(([, v]) => v === n)?.[0];
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class ContainerProcess {
  readonly logs: LogLine[] = [];
  readonly startedAt = Date.now();
  /** Host pid of the command (pid 1 of the container's pid namespace), once it runs. */
  appPid?: number;
  readonly exited: Promise<ContainerExit>;
  private readonly child: ChildProcess;
  private readonly running: Promise<number | undefined>;
  private exitInfo?: ContainerExit;

  constructor(
    readonly spec: LaunchSpec,
    record: RunRecord,
    private readonly maxLogLines = 5000,
  ) {
    const s = spec.security;
    const bwrap = [
      "bwrap",
      "--unshare-user",
      "--unshare-pid",
      "--as-pid-1",
      "--die-with-parent",
      "--new-session",
      "--cap-drop",
      "ALL",
      "--clearenv",
      ...Object.entries(spec.env).flatMap(([k, v]) => ["--setenv", k, v]),
      "--info-fd",
      "3",
      ...(spec.seccomp ? ["--seccomp", "4"] : []),
      s.readOnlyRoot ? "--ro-bind" : "--bind",
      spec.rootDir,
      "/",
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      ...spec.binds.flatMap((b) => [b.readOnly ? "--ro-bind" : "--bind", b.source, b.dest]),
      "--chdir",
      spec.workingDir,
      "--",
      ...spec.argv,
    ];
    const setpriv = ["setpriv", "--reuid", String(s.uid), "--regid", String(s.gid), ...(s.groups.length ? ["--groups", s.groups.join(",")] : ["--clear-groups"]), "--"];
    const nsenter = ["nsenter", "--target", String(spec.holderPid), "--mount", "--net", "--uts", "--ipc", "--"];
    const join = spec.cgroup.procsFiles().map((f) => `echo $$ > ${shellQuote(f)}`).join(" && ");
    this.child = spawn("sh", ["-c", `${join} && exec "$@"`, "sh", ...nsenter, ...setpriv, ...bwrap], {
      stdio: ["ignore", "pipe", "pipe", "pipe", spec.seccomp ? "pipe" : "ignore"],
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
    });
    if (spec.seccomp) {
      const fd4 = this.child.stdio[4] as NodeJS.WritableStream;
      fd4.on("error", () => undefined);
      fd4.end(spec.seccomp);
    }
    const outer = this.child.pid !== undefined ? processRef(this.child.pid) : undefined;
    if (outer) record.addProcess(outer);
    const log = fs.createWriteStream(spec.logFile, { flags: "a" });
    for (const stream of ["stdout", "stderr"] as const) {
      let partial = "";
      this.child[stream]!.setEncoding("utf8").on("data", (chunk: string) => {
        log.write(chunk);
        partial += chunk;
        const lines = partial.split("\n");
        partial = lines.pop() ?? "";
        for (const text of lines) this.push({ at: Date.now(), stream, text });
      });
      this.child[stream]!.on("end", () => {
        if (partial) this.push({ at: Date.now(), stream, text: partial });
      });
    }
    this.running = new Promise((resolve) => {
      let info = "";
      const fd3 = this.child.stdio[3] as NodeJS.ReadableStream;
      fd3.setEncoding("utf8");
      fd3.on("data", (c: string) => {
        info += c;
        const m = /"child-pid"\s*:\s*(\d+)/.exec(info);
        if (m && this.appPid === undefined) {
          this.appPid = Number(m[1]);
          const ref = processRef(this.appPid);
          if (ref) record.addProcess(ref);
          resolve(this.appPid);
        }
      });
      fd3.on("end", () => resolve(this.appPid));
      fd3.on("error", () => resolve(this.appPid));
    });
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        log.end();
        const oom = spec.cgroup.oomKills() > 0;
        // The monitor reports a signal death of the command as 128+n; its own death by signal (SIGKILL) the same way.
        const exitCode = code ?? 128 + (signal ? os.constants.signals[signal] : 9);
        const sig = exitCode > 128 ? signalName(exitCode - 128) : undefined;
        const started = this.appPid !== undefined && !this.logs.some((l) => l.stream === "stderr" && /^bwrap: /.test(l.text));
        const reason: ContainerExit["reason"] = !started ? "StartError" : oom ? "OOMKilled" : exitCode === 0 ? "Completed" : "Error";
        const message = reason === "StartError" ? this.logs.filter((l) => l.stream === "stderr").map((l) => l.text).join("\n") : undefined;
        this.exitInfo = { exitCode: reason === "StartError" ? 128 : exitCode, signal: sig, reason, message, finishedAt: Date.now() };
        resolve(this.exitInfo);
      });
      this.child.on("error", (err) => {
        this.exitInfo = { exitCode: 128, reason: "StartError", message: err.message, finishedAt: Date.now() };
        resolve(this.exitInfo);
      });
    });
  }

  private push(line: LogLine): void {
    this.logs.push(line);
    if (this.logs.length > this.maxLogLines) this.logs.splice(0, this.logs.length - this.maxLogLines);
  }

  /** Resolves with the command's host pid once it runs, or undefined when it never does. */
  started(): Promise<number | undefined> {
    return this.running;
  }

  get exit(): ContainerExit | undefined {
    return this.exitInfo;
  }

  /** Signals the command (pid 1 of the container); SIGKILL also takes the bwrap monitor down. */
  signal(sig: NodeJS.Signals): void {
    if (this.exitInfo) return;
    const targets = sig === "SIGKILL" ? [this.appPid, this.child.pid] : [this.appPid ?? this.child.pid];
    for (const pid of targets) {
      if (pid === undefined) continue;
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  }

  /** The last `n` log lines as text. */
  tail(n = 20): string[] {
    return this.logs.slice(-n).map((l) => l.text);
  }
}

/** Makes sure every mount point exists in the container's root (the root may be mounted read-only). */
export function createMountPoints(rootDir: string, binds: readonly { dest: string; isFile: boolean }[]): void {
  for (const b of binds) {
    const p = path.join(rootDir, b.dest);
    if (fs.existsSync(p)) continue;
    // Mount points under /dev, /proc are created by bwrap on its own tmpfs.
    if (/^\/(dev|proc)(\/|$)/.test(b.dest)) continue;
    fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
    if (b.isFile) fs.writeFileSync(p, "", { mode: 0o644 });
    else fs.mkdirSync(p, { mode: 0o755 });
  }
}
