import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { ensureToolchain, EnsureOptions, Toolchain } from "./ensure";

export { Tool, Source, ToolchainError } from "./tool";
export { cacheRoot } from "./cache";
export { EnsureOptions, Toolchain, ensureToolchain };

const resolved = new Map<string, Promise<Toolchain>>();

/**
 * The pinned Pulumi toolchain, provided once per process for a given set of options (the first
 * call may build it from Go modules, which takes minutes on a fresh machine; later calls, and
 * later processes through the cache, are quick). Run the CLI as `pulumiBin` with `env`, or pass
 * {@link automationOptions} to the Automation API.
 */
export function toolchain(opts: EnsureOptions = {}): Promise<Toolchain> {
  const key = JSON.stringify([
    [...(opts.providers ?? ["kubernetes"])].sort(),
    opts.allowDownload ?? null,
    opts.allowBuild ?? null,
    opts.cacheRoot ?? null,
  ]);
  let pending = resolved.get(key);
  if (!pending) {
    pending = ensureToolchain(opts);
    // A failed attempt is not remembered, so a caller can retry after fixing the cause.
    pending.catch(() => resolved.delete(key));
    resolved.set(key, pending);
  }
  return pending;
}

/** The variables the toolchain sets (PATH and PULUMI_*), for LocalWorkspace `envVars`. */
export function toolchainVars(tc: Toolchain): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tc.env).filter(
      (entry): entry is [string, string] => (entry[0] === "PATH" || entry[0].startsWith("PULUMI_")) && entry[1] !== undefined,
    ),
  );
}

/**
 * Workspace options that make the Automation API run this toolchain's CLI with its providers:
 * spread them into `LocalWorkspace.create` / `createOrSelectStack` options.
 */
export async function automationOptions(tc: Toolchain): Promise<{ pulumiCommand: PulumiCommand; envVars: Record<string, string> }> {
  // Cache directories use the release layout (<root>/bin/pulumi), so the CLI's root is two up.
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(path.dirname(tc.pulumiBin)) });
  return { pulumiCommand, envVars: toolchainVars(tc) };
}
