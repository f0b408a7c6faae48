/**
 * An exclusive lock between processes on one machine (two test runs building the same pinned
 * binary, say). It is a kernel flock held by a small `flock` child: the kernel drops it when that
 * child exits, and the child exits when this process closes its stdin or dies, so a crashed
 * holder never leaves a stale lock behind.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface FileLock {
  release(): void;
}

/**
 * Waits for the exclusive lock on `file` (created if missing). `onWait` is called once if another
 * process holds it, so long waits can be reported.
 */
export function acquireFileLock(file: string, onWait?: () => void): Promise<FileLock> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return new Promise((resolve, reject) => {
    // `flock` prints nothing when it gets the lock; the shell does, then `cat` holds it until EOF.
    const child = spawn("flock", ["--exclusive", file, "sh", "-c", "echo locked; exec cat >/dev/null"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let acquired = false;
    let stderr = "";
    const waitTimer = setTimeout(() => onWait?.(), 1000);
    waitTimer.unref();
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (acquired || !chunk.includes("locked")) return;
      acquired = true;
      clearTimeout(waitTimer);
      resolve({
        release() {
          child.stdin.end();
        },
      });
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", (err) => {
      clearTimeout(waitTimer);
      reject(new Error(`cannot lock ${file}: ${err.message} (flock is part of util-linux)`));
    });
    child.on("exit", (code) => {
      clearTimeout(waitTimer);
      if (!acquired) reject(new Error(`cannot lock ${file}: flock exited ${code}: ${stderr.trim()}`));
    });
  });
}
