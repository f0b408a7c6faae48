/**
 * What a run leaves on the machine, recorded as it is created: one directory per run under
 * `${TMPDIR:-/tmp}/bijux-atlas-pods/<run id>` with a state file naming the runner process, every
 * process it started (pid + start time) and its cgroup directories. Mounts, network namespaces and
 * veth pairs live only inside namespaces held by those processes, so killing them removes them.
 * cleanupStale() undoes the runs whose runner is gone (a crashed test process, say); runs of live
 * runners, such as a second test process next to this one, are left alone.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isRunning, ProcessRef, selfRef, signalIfRunning } from "../../procfs";
import { removeCgroupTree } from "./cgroups";
import { SandboxError } from "./errors";

export interface RunState {
  readonly runId: string;
  readonly owner: ProcessRef;
  readonly createdAt: string;
  readonly processes: ProcessRef[];
  readonly cgroups: string[];
}

/** Where runs live; every ancestor must be traversable by the pod's unprivileged user, which binds from it. */
export function runsRoot(): string {
  return path.join(os.tmpdir(), "bijux-atlas-pods");
}

export class RunRecord {
  readonly dir: string;
  private readonly state: RunState;

  constructor(readonly runId: string) {
    const root = runsRoot();
    fs.mkdirSync(root, { recursive: true, mode: 0o755 });
    fs.chmodSync(root, 0o755);
    for (let d = root; d !== path.dirname(d); d = path.dirname(d)) {
      if ((fs.statSync(d).mode & 0o001) === 0) {
        throw new SandboxError(`${d} is not searchable by other users; the pod's user binds its volumes from ${root} (set TMPDIR to a directory like /tmp)`);
      }
    }
    this.dir = path.join(root, runId);
    fs.mkdirSync(this.dir, { mode: 0o755 });
    this.state = { runId, owner: selfRef(), createdAt: new Date().toISOString(), processes: [], cgroups: [] };
    this.save();
  }

  addProcess(ref: ProcessRef): void {
    this.state.processes.push(ref);
    this.save();
  }

  addCgroups(dirs: readonly string[]): void {
    this.state.cgroups.push(...dirs);
    this.save();
  }

  private save(): void {
    const file = path.join(this.dir, "state.json");
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.state, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Kills every recorded process still running, removes the cgroups and the run directory. */
  undo(): void {
    undoRun(this.dir, this.state);
  }
}

function undoRun(dir: string, state: RunState): void {
  for (const p of [...state.processes].reverse()) signalIfRunning(p, "SIGKILL");
  removeCgroupTree(state.cgroups);
  for (const parent of new Set(state.cgroups.map((c) => path.dirname(c)))) {
    try {
      fs.rmdirSync(parent); // the shared parent, once no run uses it
    } catch {
      /* another run's cgroups are in it */
    }
  }
  // Files of the run may sit on mounts of a holder that is being reaped; retry briefly.
  for (let i = 0; i < 20; i++) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/** Undoes the runs whose runner process is gone; returns their ids. */
export function cleanupStale(): string[] {
  const root = runsRoot();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return [];
  }
  const undone: string[] = [];
  for (const id of entries) {
    const dir = path.join(root, id);
    let state: RunState | undefined;
    try {
      state = JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")) as RunState;
    } catch {
      // A run directory without a readable state file is one whose creation was cut short.
      const age = Date.now() - fs.statSync(dir).mtimeMs;
      if (age > 60_000) fs.rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (isRunning(state.owner)) continue;
    undoRun(dir, state);
    undone.push(id);
  }
  return undone;
}
