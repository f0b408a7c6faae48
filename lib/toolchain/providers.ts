import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { toolDir, installFile, isExecutable, readStamp, writeStamp } from "./cache";
import { Tool, Context, ToolchainError } from "./tool";
import { goBuild, moduleDir } from "./go-build";
import { buildModuleVersion, knownProviders } from "./pins";
import { formatDuration } from "./progress";
import { lastLine, run, which } from "./process";
import { buildRecipes } from "./provider-recipes";

/** How long `pulumi plugin install` may try the release download. */
const downloadTimeoutMs = 5 * 60_000;

function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" };
}

/**
 * Version a provider binary serves, asked through the CLI (`pulumi package get-schema <binary>`
 * starts it and reads the schema it returns, which carries the provider's version).
 */
export async function providerVersion(cli: string, bin: string): Promise<string | undefined> {
  const result = await run(cli, ["package", "get-schema", bin], { env: cliEnv(), timeoutMs: 120_000 });
  if (result.code !== 0) return undefined;
  try {
    const version = (JSON.parse(result.stdout) as { version?: unknown }).version;
    return typeof version === "string" ? version.replace(/^v/, "") : undefined;
  } catch {
    return undefined;
  }
}

interface InstalledPlugin {
  name: string;
  kind: string;
  version: string;
}

/** Where `pulumi plugin install` puts a resource plugin (`plugin ls --json` does not say). */
function pluginCachePath(name: string, version: string): string {
  const home = process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  return path.join(home, "plugins", `resource-${name}-v${version}`, providerBinary(name));
}

async function installedProvider(cli: string, name: string, version: string): Promise<string | undefined> {
  const listed = (await installedPlugins(cli)).some((p) => p.kind === "resource" && p.name === name && p.version === version);
  const bin = pluginCachePath(name, version);
  return listed && isExecutable(bin) ? bin : undefined;
}

/** Resource plugins in Pulumi's own plugin cache (`pulumi plugin ls`). */
async function installedPlugins(cli: string): Promise<InstalledPlugin[]> {
  const result = await run(cli, ["plugin", "ls", "--json"], { env: cliEnv(), timeoutMs: 60_000 });
  if (result.code !== 0) return [];
  try {
    return (JSON.parse(result.stdout) as InstalledPlugin[]) ?? [];
  } catch {
    return [];
  }
}

/** Executable name of a resource provider. */
export function providerBinary(name: string): string {
  return `pulumi-resource-${name}`;
}

/**
 * Provides one resource provider at the version its npm SDK requests: from PATH, Pulumi's
 * plugin cache, the toolchain cache, the release download, or a Go build, in that order.
 */
export async function resolveProvider(ctx: Context, cli: string, name: string): Promise<Tool> {
  const pin = ctx.pins.providers[name];
  if (!pin) {
    throw new Error(`unknown provider "${name}": package.json pins ${knownProviders(ctx.pins).join(", ") || "no provider SDK"}`);
  }
  const binary = providerBinary(name);
  const wanted = pin.version;
  const recipe = buildRecipes[name];
  const buildVersion = recipe ? buildModuleVersion(recipe.moduleDir, recipe.module) : undefined;
  const fits = buildVersion ? [wanted, buildVersion] : [wanted];
  const attempts: string[] = [];
  const found = (version: string, bin: string, source: Tool["source"], ms: number, builtFrom?: string): Tool => ({
    name: binary,
    version,
    wanted,
    path: bin,
    source,
    ms,
    builtFrom,
  });

  const onPath = which(binary);
  if (onPath) {
    const version = await providerVersion(cli, onPath);
    if (version && fits.includes(version)) return found(version, onPath, "path", 0);
    attempts.push(`PATH: ${onPath} serves ${version ?? "no schema"}, expected ${fits.join(" or ")}`);
  } else {
    attempts.push(`PATH: no ${binary}`);
  }

  const installed = await installedProvider(cli, name, wanted);
  if (installed) return found(wanted, installed, "path", 0);
  attempts.push(`Pulumi plugin cache: no ${name} ${wanted}`);

  if (buildVersion) {
    const dir = toolDir(ctx.cacheRoot, binary, buildVersion);
    const bin = path.join(dir, binary);
    const stamp = readStamp(dir);
    if (isExecutable(bin) && stamp?.version === buildVersion) return found(buildVersion, bin, "cache", 0, stamp.module);
    attempts.push(`cache: no ${binary} ${buildVersion} under ${ctx.cacheRoot}`);
  }

  if (ctx.allowDownload) {
    const started = Date.now();
    ctx.reporter.line(`downloading the ${name} provider v${wanted} release ...`);
    const result = await run(cli, ["plugin", "install", "resource", name, wanted], { env: cliEnv(), timeoutMs: downloadTimeoutMs });
    const plugin = result.code === 0 ? await installedProvider(cli, name, wanted) : undefined;
    if (plugin) return found(wanted, plugin, "download", Date.now() - started);
    const reason = result.timedOut ? "timed out" : lastLine(result.stderr) || `exit ${result.code}`;
    ctx.reporter.line(`${name} provider v${wanted} release download unavailable (${reason}); trying the next route`);
    attempts.push(`download: ${reason}`);
  } else {
    attempts.push("download: not attempted (offline)");
  }

  if (!recipe || !buildVersion) {
    attempts.push(`build: no build recipe for ${binary} (its Go module is not served by the module proxy)`);
    throw new ToolchainError(binary, wanted, attempts);
  }
  if (!ctx.allowBuild) {
    attempts.push("build: not attempted (building disabled)");
    throw new ToolchainError(binary, wanted, attempts);
  }
  try {
    return await build(ctx, cli, name, wanted, buildVersion);
  } catch (err) {
    attempts.push(`build: ${err instanceof Error ? err.message : String(err)}`);
    throw new ToolchainError(binary, wanted, attempts);
  }
}

async function build(ctx: Context, cli: string, name: string, wanted: string, version: string): Promise<Tool> {
  const recipe = buildRecipes[name];
  const binary = providerBinary(name);
  const go = await ctx.go();
  const label = `${binary} ${version}`;
  ctx.reporter.line(
    `building ${label} from Go modules (${go.version})` +
      (version === wanted ? "" : `: the provider source the module proxy serves (v${wanted} is not available there)`) +
      "; the first build takes several minutes",
  );
  const started = Date.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `atlas-${name}-`));
  try {
    const providerDir = await moduleDir(go, recipe.moduleDir, recipe.module, process.env);
    const { pkg, overlay } = await recipe.prepare(go, providerDir, workDir, version, ctx.reporter);
    let overlayFile: string | undefined;
    if (overlay) {
      overlayFile = path.join(workDir, "overlay.json");
      fs.writeFileSync(overlayFile, JSON.stringify({ Replace: overlay }));
    }
    const { output } = await goBuild(
      go,
      { label, moduleDir: recipe.moduleDir, pkg, stamps: { ...(recipe.stamps ?? {}), [recipe.versionVar]: version }, overlay: overlayFile },
      ctx.reporter,
    );
    const dir = toolDir(ctx.cacheRoot, binary, version);
    const dest = path.join(dir, binary);
    installFile(output, dest);
    fs.rmSync(path.dirname(output), { recursive: true, force: true });
    const served = await providerVersion(cli, dest);
    if (served !== version) {
      fs.rmSync(dest, { force: true });
      throw new Error(`the built provider serves version ${served ?? "nothing"}, expected ${version}`);
    }
    const ms = Date.now() - started;
    const builtFrom = `${recipe.module}@v${version}`;
    writeStamp(dir, {
      tool: binary,
      version,
      module: builtFrom,
      goVersion: go.version,
      builtAt: new Date().toISOString(),
      buildSeconds: Math.round(ms / 1000),
    });
    ctx.reporter.line(`built ${label} in ${formatDuration(ms)}`);
    return { name: binary, version, wanted, path: dest, source: "build", ms, builtFrom };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
