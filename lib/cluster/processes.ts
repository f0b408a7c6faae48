/** Detached daemon processes with a log file each: start, liveness, stop (SIGTERM, then SIGKILL). */
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
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

/** Starts `binary` detached, stdout and stderr appended to `<logDir>/<name>.log`; returns its pid. */
export function launch(logDir: string, name: string, binary: string, args: string[], env?: NodeJS.ProcessEnv): number {
  fs.mkdirSync(logDir, { recursive: true });
  const out = fs.openSync(path.join(logDir, `${name}.log`), "a");
  const child = spawn(binary, args, { detached: true, stdio: ["ignore", out, out], env: env ?? process.env });
  child.unref();
  fs.closeSync(out);
  if (!child.pid) throw new Error(`could not start ${name} (${binary})`);
  return child.pid;
}

/** SIGTERM, up to `graceMs` to exit, then SIGKILL; resolves once the process is gone. */
export async function stopProcess(name: string, pid: number | undefined, graceMs = 10_000): Promise<void> {
  if (!alive(pid)) return;
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };
  process.kill(pid!, "SIGTERM");
  await waitGone(graceMs);
  if (alive(pid)) {
    process.kill(pid!, "SIGKILL");
    await waitGone(10_000);
  }
  if (alive(pid)) throw new Error(`${name} (pid ${pid}) still running after SIGKILL`);
}

/** Polls `probe` until it holds or `deadline` (epoch ms) passes; then throws with the log's last lines. */
export async function waitFor(what: string, deadline: number, probe: () => Promise<boolean>, logFile: string): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n") : "(no log)";
  throw new Error(`${what} not ready in time; last lines of ${logFile}:\n${tail}`);
}
