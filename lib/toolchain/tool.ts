import { GoToolchain } from "./go-build";
import { Pins } from "./pins";
import { Reporter } from "./progress";

/** How a tool was obtained, in the order the bootstrap tries them. */
export type Source =
  /** Already on PATH (or in Pulumi's plugin cache) at a fitting version. */
  | "path"
  /** In the toolchain cache from an earlier run. */
  | "cache"
  /** The pinned release, downloaded on this run. */
  | "download"
  /** Built from Go modules on this run. */
  | "build";

/** One resolved toolchain binary. */
export interface Tool {
  /** e.g. `pulumi`, `pulumi-resource-kubernetes`, `pulumi-analyzer-policy-nodejs`. */
  readonly name: string;
  /** The version the binary reports, without a leading `v`. */
  readonly version: string;
  /** The version package.json asks for; differs from `version` when only another one could be had. */
  readonly wanted: string;
  /** Absolute path of the binary. */
  readonly path: string;
  readonly source: Source;
  /** Wall time spent obtaining it on this run, in milliseconds. */
  readonly ms: number;
  /** Go module@version it was built from, when built from source. */
  readonly builtFrom?: string;
}

/** What every resolver needs: the pins, where to cache, how to report, and what it may do. */
export interface Context {
  readonly pins: Pins;
  readonly cacheRoot: string;
  readonly reporter: Reporter;
  /** Try the pinned release download (Automation API / `pulumi plugin install`). */
  readonly allowDownload: boolean;
  /** Build from Go modules when nothing else fits. */
  readonly allowBuild: boolean;
  /** The Go toolchain, looked up once when a build is needed. */
  go(): Promise<GoToolchain>;
}

/** Raised when no route produced a tool; the message lists every route and why it failed. */
export class ToolchainError extends Error {
  constructor(tool: string, wanted: string, attempts: readonly string[]) {
    super(
      `cannot provide ${tool} ${wanted}:\n` +
        attempts.map((a) => `  - ${a}`).join("\n"),
    );
    this.name = "ToolchainError";
  }
}
