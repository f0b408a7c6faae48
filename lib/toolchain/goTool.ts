/**
 * Small Go programs the project builds from its own pinned build modules in tools/ (a YAML
 * reference reader, benchmark peers): built once per machine through the Go module proxy and
 * cached by version under ~/.cache/bijux-atlas/<tool>/<version>/.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { repoRoot, userCacheDir } from "../paths";

export interface GoTool {
  /** Binary name and cache directory name. */
  name: string;
  /** Build module directory under tools/. */
  moduleDir: string;
  /** Package to build, relative to the module or an import path. */
  pkg: string;
  /** Cache key: a release version, or undefined to key by the build module's own files. */
  version?: string;
}

export const goTools = {
  /** kubectl's and the API server's YAML reading (apimachinery's document reader + sigs.k8s.io/yaml). */
  yamlReference: { name: "yaml-reference", moduleDir: path.join(repoRoot, "tools", "yaml-reference"), pkg: "." },
  /** kube-score, the benchmark peer of atlas-policy. */
  kubeScore: { name: "kube-score", moduleDir: path.join(repoRoot, "tools", "kube-score"), pkg: "github.com/zegl/kube-score/cmd/kube-score", version: "v1.20.0" },
} as const satisfies Record<string, GoTool>;

/** The version a tool is cached under: its release, or a digest of its build module's files. */
export function goToolVersion(tool: GoTool): string {
  if (tool.version) return tool.version;
  const h = createHash("sha256");
  for (const f of fs.readdirSync(tool.moduleDir).sort()) {
    const p = path.join(tool.moduleDir, f);
    if (fs.statSync(p).isFile()) h.update(f).update("\0").update(fs.readFileSync(p)).update("\0");
  }
  return `src-${h.digest("hex").slice(0, 16)}`;
}

export function goToolPath(tool: GoTool): string {
  return path.join(userCacheDir(), tool.name, goToolVersion(tool), tool.name);
}

/** The tool's binary, built first if this machine has none of its version. Throws with go's output on failure. */
export function ensureGoTool(tool: GoTool, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const dest = goToolPath(tool);
  if (fs.existsSync(dest)) return dest;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  // Per-process temporary name: two runs building at once must not clobber each other.
  const tmp = `${dest}.${process.pid}.tmp`;
  log(`building ${tool.name} (${goToolVersion(tool)}) from its Go module...`);
  const t0 = Date.now();
  const r = spawnSync("nice", ["-n", "10", "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", tmp, tool.pkg], {
    cwd: tool.moduleDir,
    encoding: "utf8",
    env: { ...process.env, GOFLAGS: "-mod=readonly" },
  });
  if (r.error || r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`building ${tool.name} failed (go build exit ${r.status ?? r.error?.message}) in ${tool.moduleDir}:\n${(r.stderr ?? "").trim().split("\n").slice(-15).join("\n")}`);
  }
  fs.renameSync(tmp, dest);
  log(`built ${tool.name} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return dest;
}
