import * as fs from "fs";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import { toolDir, installFile, isExecutable, readStamp, writeStamp } from "./cache";
import { Tool, Context, ToolchainError } from "./tool";
import { goBuild } from "./go-build";
import { buildModulesDir, buildModuleVersion } from "./pins";
import { formatDuration } from "./progress";
import { lastLine, run, which } from "./process";

/** The pinned build module of the CLI and what it builds. */
export const cliBuild = {
  moduleDir: path.join(buildModulesDir, "cli"),
  module: "github.com/pulumi/pulumi/pkg/v3",
  pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
  /** Where the CLI reads its own version from (sdk/v3/go/common/version). */
  versionVar: "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version",
} as const;

/** How long the release download may take before the bootstrap gives up on it. */
const downloadTimeoutMs = 5 * 60_000;

/** Version a `pulumi` binary reports, without the leading `v`; undefined when it does not run. */
export async function pulumiVersion(bin: string): Promise<string | undefined> {
  const result = await run(bin, ["version"], {
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    timeoutMs: 30_000,
  });
  const match = /^v?(\d+\.\d+\.\d+\S*)$/.exec(result.stdout.trim());
  return result.code === 0 && match ? match[1] : undefined;
}

/** The CLI binary inside a cache directory (same layout as a release install root). */
function cachedCli(root: string, version: string): string {
  return path.join(toolDir(root, "pulumi", version), "bin", "pulumi");
}

/**
 * Provides the Pulumi CLI: the pinned version (or the build module's, when the proxy serves only
 * an older one) from PATH, the cache, the release download, or a Go build, in that order.
 */
export async function resolveCli(ctx: Context): Promise<Tool> {
  const wanted = ctx.pins.cli;
  const buildVersion = buildModuleVersion(cliBuild.moduleDir, cliBuild.module);
  const fits = [wanted, buildVersion];
  const attempts: string[] = [];
  const found = (version: string, bin: string, source: Tool["source"], ms: number, builtFrom?: string): Tool => ({
    name: "pulumi",
    version,
    wanted,
    path: bin,
    source,
    ms,
    builtFrom,
  });

  const onPath = which("pulumi");
  if (onPath) {
    const version = await pulumiVersion(onPath);
    if (version && fits.includes(version)) return found(version, onPath, "path", 0);
    attempts.push(`PATH: ${onPath} reports ${version ? `v${version}` : "no version"}, expected v${fits.join(" or v")}`);
  } else {
    attempts.push("PATH: no pulumi");
  }

  for (const version of fits) {
    const bin = cachedCli(ctx.cacheRoot, version);
    if (isExecutable(bin) && (await pulumiVersion(bin)) === version) {
      return found(version, bin, "cache", 0, readStamp(path.dirname(path.dirname(bin)))?.module);
    }
  }
  attempts.push(`cache: no pulumi v${fits.join(" or v")} under ${ctx.cacheRoot}`);

  if (ctx.allowDownload) {
    const downloaded = await download(ctx, wanted);
    if (typeof downloaded !== "string") return downloaded;
    attempts.push(`download: ${downloaded}`);
  } else {
    attempts.push("download: not attempted (offline)");
  }

  if (!ctx.allowBuild) {
    attempts.push("build: not attempted (building disabled)");
    throw new ToolchainError("pulumi", `v${wanted}`, attempts);
  }
  return build(ctx, wanted, buildVersion).catch((err: Error) => {
    attempts.push(`build: ${err.message}`);
    throw new ToolchainError("pulumi", `v${wanted}`, attempts);
  });

  async function download(c: Context, version: string): Promise<Tool | string> {
    if (version !== sdkVersion) {
      // PulumiCommand.install installs the CLI matching the installed SDK; a mismatch means
      // node_modules is out of date with package.json.
      return `installed @pulumi/pulumi is ${sdkVersion}, package.json pins ${version}; run npm ci`;
    }
    const root = toolDir(c.cacheRoot, "pulumi", version);
    const started = Date.now();
    c.reporter.line(`downloading the pulumi v${version} release ...`);
    try {
      await withTimeout(PulumiCommand.install({ root }), downloadTimeoutMs, "release download");
    } catch (err) {
      fs.rmSync(root, { recursive: true, force: true });
      const reason = lastLine(err instanceof Error ? err.message : String(err)) || "unknown error";
      c.reporter.line(`pulumi v${version} release download unavailable (${reason}); trying the next route`);
      return reason;
    }
    const bin = cachedCli(c.cacheRoot, version);
    const reported = await pulumiVersion(bin);
    if (reported !== version) {
      fs.rmSync(root, { recursive: true, force: true });
      return `the downloaded CLI reports ${reported ?? "nothing"}, expected v${version}`;
    }
    return found(version, bin, "download", Date.now() - started);
  }
}

async function build(ctx: Context, wanted: string, version: string): Promise<Tool> {
  const go = await ctx.go();
  const label = `pulumi v${version}`;
  ctx.reporter.line(
    version === wanted
      ? `building ${label} from Go modules (${go.version}); the first build takes several minutes`
      : `building ${label} from Go modules (${go.version}): the newest CLI the module proxy serves ` +
          `(v${wanted} is not available there); the first build takes several minutes`,
  );
  const { output, ms } = await goBuild(
    go,
    { label, moduleDir: cliBuild.moduleDir, pkg: cliBuild.pkg, stamps: { [cliBuild.versionVar]: `v${version}` } },
    ctx.reporter,
  );
  const dest = cachedCli(ctx.cacheRoot, version);
  installFile(output, dest);
  fs.rmSync(path.dirname(output), { recursive: true, force: true });
  const reported = await pulumiVersion(dest);
  if (reported !== version) {
    fs.rmSync(dest, { force: true });
    throw new Error(`the built CLI reports ${reported ?? "nothing"}, expected v${version}`);
  }
  const builtFrom = `${cliBuild.module}@v${version}`;
  writeStamp(path.dirname(path.dirname(dest)), {
    tool: "pulumi",
    version,
    module: builtFrom,
    goVersion: go.version,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round(ms / 1000),
  });
  ctx.reporter.line(`built ${label} in ${formatDuration(ms)}`);
  return { name: "pulumi", version, wanted, path: dest, source: "build", ms, builtFrom };
}

/**
 * The Node.js language host the CLI will use: beside it (release installs ship one) or on PATH.
 * A CLI built here has none; programs then run through the Automation API's inline runtime.
 */
export function languageHost(cliPath: string): string | undefined {
  const beside = path.join(path.dirname(fs.realpathSync(cliPath)), "pulumi-language-nodejs");
  return isExecutable(beside) ? beside : which("pulumi-language-nodejs");
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${formatDuration(ms)}`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
