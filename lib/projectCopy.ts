/**
 * Throw-away copies of the project for runs of the real engine: each copy has its own state
 * (.pulumi/), rendered/ and local-cluster data, and shares this checkout's node_modules.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "./paths";

/** Copies the tracked and untracked-but-not-ignored files of the repository into a new temp dir. */
export function copyProject(prefix = "atlas-e2e-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    const from = path.join(repoRoot, f);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
    fs.chmodSync(path.join(dir, f), fs.statSync(from).mode);
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  const policyModules = path.join(repoRoot, "policy", "node_modules");
  if (fs.existsSync(policyModules)) fs.symlinkSync(policyModules, path.join(dir, "policy", "node_modules"));
  fs.symlinkSync(path.join(repoRoot, ".tools"), path.join(dir, ".tools"));
  // The policy pack's compiled JavaScript (built by npm ci, not tracked): what preview loads.
  const policyDist = path.join(repoRoot, "policy", "dist");
  if (fs.existsSync(policyDist)) fs.cpSync(policyDist, path.join(dir, "policy", "dist"), { recursive: true });
  return dir;
}

/** Every file under `dir` (relative path -> content); empty when `dir` does not exist. */
export function filesUnder(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}
