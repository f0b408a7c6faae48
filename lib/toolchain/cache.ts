import * as fs from "fs";
import * as path from "path";
import { userCacheDir } from "../paths";

/**
 * Root of the toolchain cache: `$ATLAS_TOOLCHAIN_CACHE` when set, else
 * `${XDG_CACHE_HOME:-~/.cache}/bijux-atlas/toolchain`. It lives outside the repository so every
 * clone on a machine shares one build of each version.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ATLAS_TOOLCHAIN_CACHE) return path.resolve(env.ATLAS_TOOLCHAIN_CACHE);
  return path.join(userCacheDir(env), "toolchain");
}

/** Directory of one tool at one version, e.g. `pulumi-v3.259.0`. */
export function toolDir(root: string, tool: string, version: string): string {
  return path.join(root, `${tool}-v${version.replace(/^v/, "")}`);
}

/** Record written next to every binary the bootstrap built, so a cache hit can say where it came from. */
export interface BuildStamp {
  /** Tool name, e.g. `pulumi` or `pulumi-resource-kubernetes`. */
  readonly tool: string;
  /** Version stamped into the binary, without a leading `v`. */
  readonly version: string;
  /** Go module and version the binary was built from. */
  readonly module: string;
  /** Output of `go version` for the toolchain that built it. */
  readonly goVersion: string;
  /** ISO time the build finished. */
  readonly builtAt: string;
  /** Wall time of the build in seconds. */
  readonly buildSeconds: number;
}

const stampFile = "build.json";

export function readStamp(dir: string): BuildStamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, stampFile), "utf8")) as BuildStamp;
  } catch {
    return undefined;
  }
}

export function writeStamp(dir: string, stamp: BuildStamp): void {
  fs.writeFileSync(path.join(dir, stampFile), JSON.stringify(stamp, null, 2) + "\n");
}

/**
 * Moves a freshly built file into place with a rename, so a concurrent reader sees either no
 * binary or a complete one, never a partial write.
 */
export function installFile(built: string, dest: string): void {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.chmodSync(built, 0o755);
  fs.renameSync(built, dest);
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
