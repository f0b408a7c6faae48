/** Where things are: the project directory, the chart, the pinned tool binaries, caches. */
import * as os from "os";
import * as path from "path";

/** The repository root, which is also the Pulumi project directory (where Pulumi.yaml lives). */
export const repoRoot = path.resolve(__dirname, "..");

/** The atlas Helm chart shipped with this project. */
export const atlasChartDir = path.join(repoRoot, "charts", "bijux-atlas");

/** The Dockerfile of the server image. */
export const dockerfilePath = path.join(repoRoot, "docker", "Dockerfile");

/** Directory where `npm ci` extracts the pinned helm and kubectl binaries. */
export const toolsBin = path.join(repoRoot, ".tools", "bin");

/**
 * This project's directory in the per-user cache (`${XDG_CACHE_HOME:-~/.cache}/bijux-atlas`):
 * pinned binaries built once per machine, keyed by version, shared by every clone.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(xdg, "bijux-atlas");
}

/** Resolves a path from the stack config: `~/` is the home directory, anything else relative to the project. */
export function fromProject(p: string): string {
  return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : path.resolve(repoRoot, p);
}
