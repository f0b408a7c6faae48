/**
 * Processes as /proc shows them. A pid alone is reused by the kernel; a pid together with its
 * start time names one process, so records of "what we started" never match someone else's.
 */
import * as fs from "fs";

/** A process: its pid and its start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
export interface ProcessRef {
  readonly pid: number;
  readonly start: number;
}

/** Start time of `pid`, or undefined when no such process exists. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** The process `pid` as a ProcessRef, or undefined when it is gone. */
export function processRef(pid: number): ProcessRef | undefined {
  const start = processStart(pid);
  return start === undefined ? undefined : { pid, start };
}

/** Whether the recorded process still runs (same pid, same start time, not a zombie). */
export function isRunning(ref: ProcessRef): boolean {
  if (processStart(ref.pid) !== ref.start) return false;
  try {
    const state = /^State:\s+(\S)/m.exec(fs.readFileSync(`/proc/${ref.pid}/status`, "utf8"))?.[1];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Sends `signal` to the recorded process if it is still that process; true when sent. */
export function signalIfRunning(ref: ProcessRef, signal: NodeJS.Signals): boolean {
  if (!isRunning(ref)) return false;
  try {
    process.kill(ref.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** This process. */
export function selfRef(): ProcessRef {
  return processRef(process.pid)!;
}
