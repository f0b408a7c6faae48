/**
 * A pod's sandbox: the holder process owning the pod's network, mount, UTS and IPC namespaces
 * (created with util-linux's unshare, joined with nsenter), the hostname set in it, and the
 * volumes mounted in its private mount namespace only (the host's mount table never changes).
 */
import { ChildProcess, spawn } from "child_process";
import * as net from "net";
import * as path from "path";
import { processRef } from "../../procfs";
import { run, RunResult } from "../../toolchain/process";
import { SandboxError } from "./errors";
import { holderSource } from "./holder";
import { RunRecord } from "./state";

export type Namespace = "mount" | "net" | "uts" | "ipc";

/** Starts a holder process with fresh namespaces; resolves once its forwarding socket listens. */
export async function startHolder(
  record: RunRecord,
  name: string,
  namespaces: readonly Namespace[],
): Promise<{ child: ChildProcess; pid: number; socketPath: string }> {
  const socketPath = path.join(record.dir, `${name}.sock`);
  const flags = namespaces.map((n) => `--${n}`);
  // setpriv --pdeathsig: the holder dies with the runner even if the runner is killed outright.
  const child = spawn(
    "setpriv",
    ["--pdeathsig", "KILL", "--", "unshare", ...flags, ...(namespaces.includes("mount") ? ["--propagation", "private"] : []), "--", process.execPath, "-e", holderSource, socketPath],
    { stdio: ["pipe", "pipe", "pipe"], env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } },
  );
  const pid = child.pid;
  if (pid === undefined) throw new SandboxError("cannot start the pod's holder process (setpriv and unshare are part of util-linux)");
  const ref = processRef(pid);
  if (ref) record.addProcess(ref);
  await new Promise<void>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new SandboxError(`the ${name} holder did not start within 10 s: ${err.trim()}`)), 10_000);
    child.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.stdout!.setEncoding("utf8").once("data", () => {
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new SandboxError(`the ${name} holder exited (${code}) while starting: ${err.trim()}`));
    });
  });
  return { child, pid, socketPath };
}

/** Runs a host command inside the namespaces of `pid`; throws with its output when it fails. */
export async function nsenter(pid: number, namespaces: readonly Namespace[], args: readonly string[], what?: string): Promise<RunResult> {
  const r = await run("nsenter", ["--target", String(pid), ...namespaces.map((n) => `--${n}`), "--", ...args], {
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
    timeoutMs: 30_000,
  });
  if (r.code !== 0) throw new SandboxError(`${what ?? args.join(" ")} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r;
}

/**
 * Opens a TCP connection to host:port inside the namespace of a holder, through its socket.
 * Rejects with the connect error as the network namespace saw it (ECONNREFUSED, ENETUNREACH...).
 */
export function connectThrough(socketPath: string, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(socketPath);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(Object.assign(new Error(`dial tcp ${host}:${port}: i/o timeout`), { code: "ETIMEDOUT" }));
    }, timeoutMs);
    let head = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const nl = head.indexOf(10);
      if (nl < 0) return;
      sock.removeListener("data", onData);
      clearTimeout(timer);
      const line = head.subarray(0, nl).toString();
      const rest = head.subarray(nl + 1);
      if (line === "OK") {
        if (rest.length) sock.unshift(rest);
        resolve(sock);
      } else {
        sock.destroy();
        const code = line.replace(/^ERR /, "");
        reject(Object.assign(new Error(`dial tcp ${host}:${port}: connect: ${code}`), { code }));
      }
    };
    sock.on("data", onData);
    sock.once("connect", () => sock.write(`${host} ${port}\n`));
    sock.once("error", (e) => {
      clearTimeout(timer);
      reject(new SandboxError(`the pod's network namespace is not reachable: ${e.message}`));
    });
    sock.once("close", () => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`dial tcp ${host}:${port}: connection closed`), { code: "ECONNRESET" }));
    });
  });
}

export class PodSandbox {
  private constructor(
    readonly pid: number,
    readonly socketPath: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(record: RunRecord, hostname: string): Promise<PodSandbox> {
    const { child, pid, socketPath } = await startHolder(record, "pod", ["mount", "net", "uts", "ipc"]);
    const sandbox = new PodSandbox(pid, socketPath, child);
    await nsenter(pid, ["uts"], ["sh", "-c", 'printf %s "$1" > /proc/sys/kernel/hostname', "sh", hostname], `setting the pod's hostname to ${hostname}`);
    await nsenter(pid, ["net"], ["ip", "link", "set", "lo", "up"]);
    return sandbox;
  }

  /** A path of the pod's mount namespace, as the host reaches it (through the holder's root). */
  hostView(p: string): string {
    return `/proc/${this.pid}/root${p}`;
  }

  async mountTmpfs(dir: string, opts: { sizeBytes: number; mode: number; gid?: number }): Promise<void> {
    const o = [`size=${opts.sizeBytes}`, `mode=${opts.mode.toString(8)}`, "nosuid", "nodev", ...(opts.gid !== undefined ? [`gid=${opts.gid}`] : [])];
    await nsenter(this.pid, ["mount"], ["mount", "-t", "tmpfs", "-o", o.join(","), "tmpfs", dir]);
  }

  async bindMount(src: string, dest: string, readOnly: boolean): Promise<void> {
    await nsenter(this.pid, ["mount"], ["mount", "--bind", src, dest]);
    if (readOnly) await nsenter(this.pid, ["mount"], ["mount", "-o", "remount,bind,ro", dest]);
  }

  async remountReadOnly(dir: string): Promise<void> {
    await nsenter(this.pid, ["mount"], ["mount", "-o", "remount,ro", dir]);
  }

  connect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
    return connectThrough(this.socketPath, host, port, timeoutMs);
  }

  /** Ends the holder; its namespaces, mounts and network devices go with it once no container is left in them. */
  kill(): void {
    this.child.stdin?.end();
    try {
      process.kill(this.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}
