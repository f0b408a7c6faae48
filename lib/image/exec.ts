/** Running the image tools (mmdebstrap, umoci, gcc, tar, ctr): synchronous, with the failing command and its output's tail in the error. */
import { spawnSync, SpawnSyncOptions } from "child_process";

/** Runs `command args`; returns stdout; throws naming the command, its exit and the last lines it printed. */
export function exec(command: string, args: readonly string[], opts: SpawnSyncOptions & { input?: string | Buffer } = {}): string {
  const r = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new Error(`${command} could not run: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${r.stderr ?? ""}\n${r.stdout ?? ""}`.trim().split("\n").slice(-12).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed (exit ${r.status}):\n${tail}`);
  }
  return String(r.stdout ?? "");
}
