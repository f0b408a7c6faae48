import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Repository root (this file lives in lib/). */
export const repoRoot = path.resolve(__dirname, "..");

/** Directory where `npm ci` extracts the pinned helm and kubectl binaries. */
export const toolsBin = path.join(repoRoot, ".tools", "bin");

/** The helm major.minor the chart and tests are written against. */
export const helmVersionRange = /^v3\.(1[6-9]|[2-9][0-9])\./;

/**
 * Path of the helm binary to use: $HELM_BIN when set, else the pinned one from `npm ci`,
 * else a helm on PATH whose version fits {@link helmVersionRange}.
 */
export function helmPath(): string {
  const candidates = [process.env.HELM_BIN, path.join(toolsBin, "helm"), "helm"].filter(
    (c): c is string => !!c,
  );
  for (const candidate of candidates) {
    if (candidate.includes("/") && !fs.existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ["version", "--short"], { encoding: "utf8" }).trim();
      if (helmVersionRange.test(version)) return candidate;
    } catch {
      // not runnable: try the next candidate
    }
  }
  throw new Error(
    `no usable helm 3 found (tried ${candidates.join(", ")}); run \`npm ci\` to extract the pinned one into .tools/bin`,
  );
}
