/**
 * Container resource limits through cgroup v1, as the kubelet sets them there: memory.limit_in_bytes
 * from limits.memory, cpu.cfs_quota_us over a 100 ms period from limits.cpu, cpu.shares from
 * requests.cpu. Each container's cgroups are created below this process's own (so everything the
 * runner starts stays inside whatever bounds the caller runs under) and removed when it stops.
 */
import * as fs from "fs";
import * as path from "path";
import { quantityValue } from "../../../contract/quantity";
import { SandboxError } from "./errors";

export const controllers = ["memory", "cpu"] as const;
export type Controller = (typeof controllers)[number];

const cfsPeriodUs = 100_000;

/** Mount point of each v1 controller, and this process's path in it. */
function hierarchy(controller: Controller): { mount: string; self: string } {
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n");
  let mount: string | undefined;
  for (const line of mounts) {
    const [pre, post] = line.split(" - ");
    if (!post) continue;
    const [fstype, , superOpts] = post.split(" ");
    if (fstype === "cgroup" && superOpts.split(",").includes(controller)) {
      mount = pre.split(" ")[4];
      break;
    }
  }
  if (!mount) {
    const v2 = mounts.some((l) => l.includes(" - cgroup2 "));
    throw new SandboxError(
      v2 && !mounts.some((l) => l.includes(" - cgroup "))
        ? "this host has only the unified cgroup (v2) hierarchy; the pod runner sets limits through cgroup v1 controllers"
        : `no cgroup v1 ${controller} controller is mounted`,
    );
  }
  const line = fs.readFileSync("/proc/self/cgroup", "utf8").split("\n").find((l) => l.split(":")[1]?.split(",").includes(controller));
  return { mount, self: line ? line.split(":").slice(2).join(":") : "/" };
}

/** The directory under which a run's cgroups live, per controller. */
export function runCgroupDirs(runId: string): Record<Controller, string> {
  const out = {} as Record<Controller, string>;
  for (const c of controllers) {
    const h = hierarchy(c);
    out[c] = path.join(h.mount, h.self, "bijux-atlas-pods", runId);
  }
  return out;
}

export interface Limits {
  readonly memoryBytes?: number;
  readonly cpuQuotaUs?: number;
  readonly cpuShares: number;
}

/** The kubelet's cgroup settings for a container's resources (requests default to limits, as the API server defaults them). */
export function limitsOf(resources: any): Limits {
  const limits = resources?.limits ?? {};
  const requests = { ...limits, ...(resources?.requests ?? {}) };
  const memoryBytes = limits.memory !== undefined ? Math.floor(quantityValue(limits.memory)) : undefined;
  const cpuQuotaUs = limits.cpu !== undefined ? Math.max(1000, Math.ceil(quantityValue(limits.cpu) * cfsPeriodUs)) : undefined;
  const cpuShares = requests.cpu !== undefined ? Math.max(2, Math.floor(quantityValue(requests.cpu) * 1024)) : 2;
  return { memoryBytes, cpuQuotaUs, cpuShares };
}

export class ContainerCgroup {
  private constructor(readonly dirs: Record<Controller, string>) {}

  /** Creates the container's cgroups under the run's and writes its limits. */
  static create(runDirs: Record<Controller, string>, name: string, limits: Limits): ContainerCgroup {
    const dirs = {} as Record<Controller, string>;
    for (const c of controllers) {
      dirs[c] = path.join(runDirs[c], name);
      fs.mkdirSync(dirs[c], { recursive: true });
    }
    const cg = new ContainerCgroup(dirs);
    try {
      if (limits.memoryBytes !== undefined) cg.write("memory", "memory.limit_in_bytes", String(limits.memoryBytes));
      cg.write("cpu", "cpu.cfs_period_us", String(cfsPeriodUs));
      cg.write("cpu", "cpu.cfs_quota_us", String(limits.cpuQuotaUs ?? -1));
      cg.write("cpu", "cpu.shares", String(limits.cpuShares));
    } catch (err) {
      cg.remove();
      throw err;
    }
    return cg;
  }

  private write(c: Controller, file: string, value: string): void {
    try {
      fs.writeFileSync(path.join(this.dirs[c], file), value);
    } catch (err) {
      throw new SandboxError(`cannot write ${value} to ${path.join(this.dirs[c], file)}: ${(err as Error).message}`);
    }
  }

  read(c: Controller, file: string): string {
    return fs.readFileSync(path.join(this.dirs[c], file), "utf8");
  }

  /** The cgroup.procs files a process writes its pid to, to join before it execs. */
  procsFiles(): string[] {
    return controllers.map((c) => path.join(this.dirs[c], "cgroup.procs"));
  }

  /** Pids in the container's cgroup. */
  pids(): number[] {
    try {
      return this.read("memory", "cgroup.procs").split("\n").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** How many times the kernel's OOM killer killed a process of this cgroup. */
  oomKills(): number {
    try {
      return Number(/^oom_kill (\d+)$/m.exec(this.read("memory", "memory.oom_control"))?.[1] ?? 0);
    } catch {
      return 0;
    }
  }

  /** Kills what is left in the cgroup (only processes the runner started live there) and removes it. */
  remove(): void {
    removeCgroupTree(Object.values(this.dirs));
  }
}

/** SIGKILLs the processes in cgroup directories (depth first) and removes them; missing ones are fine. */
export function removeCgroupTree(dirs: readonly string[]): void {
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) removeCgroupTree([path.join(dir, entry.name)]);
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      let pids: number[] = [];
      try {
        pids = fs.readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
      } catch {
        break;
      }
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
      try {
        fs.rmdirSync(dir);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") break;
        // EBUSY while the killed processes are reaped.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    }
  }
}
