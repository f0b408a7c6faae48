/**
 * Loaded by mocha before any tier (.mocharc.json `require`): on a machine without the pinned
 * server binaries or Kubernetes binaries, starts their builds in the background at once (at low
 * priority), so cargo and go compile on the CPU the quick tiers and the Pulumi toolchain build
 * leave idle, instead of one after another later. The tiers that need the binaries ask for them
 * as before and wait on the builds' locks until they are done; if a background build fails, the
 * tier's own attempt builds again and reports. The builds are stopped when the test run ends.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot, userCacheDir } from "../../lib/paths";
import { cratesBinDir } from "../../lib/toolchain/crates";
import { controlPlaneBinaries, missingBinaries, nodeBinaries } from "../../lib/toolchain/kube";

const onPath = (bin: string) => (process.env.PATH ?? "").split(":").some((d) => d && fs.existsSync(path.join(d, bin)));

const builds = [
  {
    name: "bijux-atlas server crates (cargo)",
    script: "build-server.ts",
    needed: () => !onPath("bijux-atlas-server") && !["bijux-atlas-server", "bijux-atlas"].every((b) => fs.existsSync(path.join(cratesBinDir(), b))),
  },
  { name: "Kubernetes binaries (go)", script: "build-kube.ts", needed: () => missingBinaries([...controlPlaneBinaries, ...nodeBinaries]).length > 0 },
];

const running: ChildProcess[] = [];

if (process.env.ATLAS_NO_PREBUILD === undefined) {
  for (const build of builds.filter((b) => b.needed())) {
    const logDir = path.join(userCacheDir(), "prebuild");
    fs.mkdirSync(logDir, { recursive: true });
    const log = path.join(logDir, `${path.basename(build.script, ".ts")}.log`);
    const out = fs.openSync(log, "w");
    const child = spawn("nice", ["-n", "10", process.execPath, path.join(repoRoot, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", path.join(repoRoot, "scripts", build.script)], {
      cwd: repoRoot,
      detached: true,
      stdio: ["ignore", out, out],
    });
    fs.closeSync(out);
    child.unref();
    running.push(child);
    process.stderr.write(`building the ${build.name} in the background; log: ${log}\n`);
  }
}

// Each build's process group (node, cargo or go, the compilers) ends with the run, finished or not.
function stop(): void {
  for (const child of running) {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

if (running.length) {
  process.on("exit", stop);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stop();
      process.kill(process.pid, signal);
    });
  }
}
