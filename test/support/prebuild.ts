/**
 * Loaded by mocha before any tier (.mocharc.json `require`): on a machine without the pinned
 * server binaries, starts their cargo build in the background at once, so it runs (at nice 10,
 * on otherwise idle CPU) while the quick tiers and the Go builds of the engine and node tiers run,
 * instead of after them. The tiers that need the binaries ask ensureServerBinaries as before and
 * wait on its lock until this build is done; if it fails, their own attempt builds and reports.
 * The build is stopped when the test run ends.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { serverVersion } from "../../contract/server";
import { repoRoot } from "../../lib/paths";
import { cratesBinDir, cratesCacheDir } from "../../lib/toolchain/crates";

const cached = ["bijux-atlas-server", "bijux-atlas"].every((b) => fs.existsSync(path.join(cratesBinDir(), b)));
const onPath = (process.env.PATH ?? "").split(":").some((d) => d && fs.existsSync(path.join(d, "bijux-atlas-server")));

if (!cached && !onPath && process.env.ATLAS_NO_PREBUILD === undefined) {
  fs.mkdirSync(cratesCacheDir(), { recursive: true });
  const log = path.join(cratesCacheDir(), "prebuild.log");
  const out = fs.openSync(log, "w");
  const child = spawn(process.execPath, [path.join(repoRoot, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", path.join(repoRoot, "scripts", "build-server.ts")], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  child.unref();
  process.stderr.write(`building bijux-atlas ${serverVersion} in the background (cargo, nice 10); log: ${log}\n`);
  // The build's process group (node, cargo, rustc) ends with the run, finished or not.
  const stop = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", stop);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stop();
      process.kill(process.pid, signal);
    });
  }
}
