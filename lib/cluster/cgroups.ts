/**
 * The cgroup v1 subtree a cluster's real nodes live in (/atlas<slot> in every hierarchy): created
 * before anything starts, so every daemon, shim and container is inside it; on stop every process
 * in it is killed and the subtree removed, deepest first. This is what makes `stop` complete even
 * after a crash: whatever the cluster left running is found through its cgroup.
 */
import * as fs from "fs";
import * as path from "path";

const cgroupRoot = "/sys/fs/cgroup";

/** Mount points of the cgroup hierarchies (v1 controllers, the named systemd one, the unified one). */
export function hierarchies(): string[] {
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n");
  const found = new Set<string>();
  for (const line of mounts) {
    const [pre, post] = line.split(" - ");
    if (!post) continue;
    const fstype = post.split(" ")[0];
    const mountPoint = pre.split(" ")[4];
    if ((fstype === "cgroup" || fstype === "cgroup2") && mountPoint.startsWith(`${cgroupRoot}/`)) found.add(mountPoint);
  }
  return [...found].sort();
}

/** Creates `rel` (e.g. /atlas7/n0/daemons) in every hierarchy; cpuset levels inherit their parent's cpus and mems. */
export function createCgroup(rel: string): void {
  for (const h of hierarchies()) {
    const parts = rel.split("/").filter(Boolean);
    let dir = h;
    for (const part of parts) {
      const parent = dir;
      dir = path.join(dir, part);
      if (fs.existsSync(dir)) continue;
      fs.mkdirSync(dir);
      for (const f of ["cpuset.cpus", "cpuset.mems"]) {
        const src = path.join(parent, f);
        if (fs.existsSync(src) && fs.existsSync(path.join(dir, f))) fs.writeFileSync(path.join(dir, f), fs.readFileSync(src, "utf8").trim() || "\n");
      }
    }
  }
}

/** The cgroup.procs files of `rel` in every hierarchy: writing a pid to each moves that process in. */
export function procsFiles(rel: string): string[] {
  return hierarchies()
    .map((h) => path.join(h, rel, "cgroup.procs"))
    .filter((f) => fs.existsSync(f));
}

/** Pids of every process in `rel` or below, in any hierarchy. */
export function pidsIn(rel: string): number[] {
  const pids = new Set<number>();
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    try {
      for (const l of fs.readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n")) if (l.trim()) pids.add(Number(l));
    } catch {
      // gone meanwhile
    }
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
  };
  for (const h of hierarchies()) walk(path.join(h, rel));
  return [...pids];
}

/** Kills every process in `rel` (SIGKILL, repeated until none is left: forks racing the kill are caught) and removes the subtree. */
export async function destroyCgroup(rel: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = pidsIn(rel);
    if (!pids.length) break;
    if (Date.now() > deadline) throw new Error(`cgroup ${rel}: processes ${pids.join(", ")} survive SIGKILL`);
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const h of hierarchies()) removeTree(path.join(h, rel), deadline);
}

function removeTree(dir: string, deadline: number): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeTree(path.join(dir, e.name), deadline);
  // A cgroup whose last task just exited can be busy for a moment.
  for (;;) {
    try {
      fs.rmdirSync(dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      if (code !== "EBUSY" || Date.now() > deadline) throw new Error(`removing cgroup ${dir}: ${(e as Error).message}`);
      const until = Date.now() + 50;
      while (Date.now() < until) {
        // brief spin: rmdir of cgroups has no event to wait on
      }
    }
  }
}
