/**
 * The policy pack's compiled JavaScript (policy/dist/), which the atlas-policy bin and
 * `pulumi preview --policy-pack policy` load: nothing is compiled at run time. `npm ci` builds it
 * (the policy workspace's `prepare` script); whatever runs the installed checker against the
 * current sources (the CLI tier, the benchmark) rebuilds it first when a source is newer.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./paths";

export const policyDir = path.join(repoRoot, "policy");

/** The compiled entry points: the checker (the bin) and the CrossGuard pack (package.json main). */
export const policyBuildOutputs = [path.join(policyDir, "dist", "policy", "src", "cli.js"), path.join(policyDir, "dist", "policy", "index.js")];

/** Sources the build compiles: the pack and the contract it imports, plus its build settings. */
function policySources(): string[] {
  const out: string[] = [path.join(policyDir, "index.ts"), path.join(policyDir, "tsconfig.json")];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) out.push(p);
    }
  };
  walk(path.join(policyDir, "src"));
  walk(path.join(repoRoot, "contract"));
  return out;
}

/** Why the build is not current (a missing output, or the newest source newer than the oldest output), or undefined. */
export function policyBuildStale(): string | undefined {
  const missing = policyBuildOutputs.find((f) => !fs.existsSync(f));
  if (missing) return `${path.relative(repoRoot, missing)} does not exist`;
  const built = Math.min(...policyBuildOutputs.map((f) => fs.statSync(f).mtimeMs));
  const newer = policySources().find((f) => fs.statSync(f).mtimeMs > built);
  return newer ? `${path.relative(repoRoot, newer)} is newer than the build` : undefined;
}

/** Builds the pack (`npm run build -w policy`) when it is not current; throws with tsc's output on failure. */
export function ensurePolicyBuilt(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  const why = policyBuildStale();
  if (!why) return;
  log(`building the policy pack (${why})...`);
  const r = spawnSync("npm", ["run", "--silent", "build", "-w", "policy"], { cwd: repoRoot, encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`npm run build -w policy failed (exit ${r.status ?? r.error?.message}):\n${`${r.stdout ?? ""}${r.stderr ?? ""}`.trim()}`);
}
