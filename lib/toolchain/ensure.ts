import * as path from "path";
import { cacheRoot } from "./cache";
import { Tool, Context } from "./tool";
import { findGo, GoToolchain } from "./go-build";
import { knownProviders, launcherDir, readPins } from "./pins";
import { formatDuration, Reporter, stderrReporter } from "./progress";
import { which } from "./process";
import { resolveProvider } from "./providers";
import { languageHost, resolveCli } from "./pulumi-cli";

export interface EnsureOptions {
  /** Providers to provide, by plugin name. Default: `["kubernetes"]`. */
  readonly providers?: readonly string[];
  /** Try release downloads. Default: true unless `ATLAS_TOOLCHAIN_OFFLINE=1`. */
  readonly allowDownload?: boolean;
  /** Build from Go modules when nothing else fits. Default: true. */
  readonly allowBuild?: boolean;
  /** Progress lines go here. Default: stderr. */
  readonly reporter?: Reporter;
  /** Cache root. Default: {@link cacheRoot}. */
  readonly cacheRoot?: string;
}

/** The resolved toolchain and the environment that makes the CLI use it. */
export interface Toolchain {
  /** Absolute path of the pulumi CLI. */
  readonly pulumiBin: string;
  /** The CLI, then each provider, as resolved. */
  readonly tools: readonly Tool[];
  /** The Node.js language host beside the CLI, if it has one (release installs do). */
  readonly languageHost?: string;
  /** The policy-pack launcher the CLI runs when it has no Node.js language host. */
  readonly policyLauncher: string;
  /**
   * Environment for running the CLI: PATH with the CLI, the built providers (found as ambient
   * plugins), the launcher and this node first; update checks and plugin downloads off.
   */
  readonly env: NodeJS.ProcessEnv;
  /** Wall time of the whole resolution, in milliseconds. */
  readonly ms: number;
}

/**
 * Makes sure the pinned Pulumi CLI, the requested providers and the policy-pack launcher are
 * present, building what is missing, and returns them with an environment that uses them.
 */
export async function ensureToolchain(opts: EnsureOptions = {}): Promise<Toolchain> {
  const started = Date.now();
  const reporter = opts.reporter ?? stderrReporter;
  let goLookup: Promise<GoToolchain> | undefined;
  const ctx: Context = {
    pins: readPins(),
    cacheRoot: opts.cacheRoot ?? cacheRoot(),
    reporter,
    allowDownload: opts.allowDownload ?? process.env.ATLAS_TOOLCHAIN_OFFLINE !== "1",
    allowBuild: opts.allowBuild ?? true,
    go: () =>
      (goLookup ??= findGo().then((go) => {
        if (!go) {
          throw new Error("Go is not on PATH; install Go 1.25 or newer (it fetches the pinned modules through GOPROXY)");
        }
        return go;
      })),
  };

  const providers = opts.providers ?? ["kubernetes"];
  const unknown = providers.filter((name) => !ctx.pins.providers[name]);
  if (unknown.length > 0) {
    // Checked before anything is fetched or built.
    throw new Error(
      `unknown provider ${unknown.map((n) => `"${n}"`).join(", ")}: package.json pins ${knownProviders(ctx.pins).join(", ") || "no provider SDK"}`,
    );
  }

  const cli = await resolveCli(ctx);
  const tools: Tool[] = [cli];
  for (const name of providers) {
    tools.push(await resolveProvider(ctx, cli.path, name));
  }

  const policyLauncher = path.join(launcherDir, "pulumi-analyzer-policy-nodejs");
  const env = toolchainEnv(tools, reporter);
  const ms = Date.now() - started;
  for (const c of tools) {
    const note = c.version === c.wanted ? "" : ` (package.json pins ${c.wanted})`;
    const time = c.source === "build" || c.source === "download" ? ` in ${formatDuration(c.ms)}` : "";
    reporter.line(`${c.name} ${c.version}${note}: ${c.source}${time} -> ${c.path}`);
  }
  return { pulumiBin: cli.path, tools, languageHost: languageHost(cli.path), policyLauncher, env, ms };
}

function toolchainEnv(tools: readonly Tool[], reporter: Reporter): NodeJS.ProcessEnv {
  // Every provider is handed to the CLI as an ambient plugin (found on PATH), even one from
  // Pulumi's plugin cache: callers may point PULUMI_HOME elsewhere, and built providers have no
  // other way in. That is why PULUMI_IGNORE_AMBIENT_PLUGINS must stay unset.
  const dirs = [
    ...tools.map((c) => path.dirname(c.path)),
    launcherDir,
    path.dirname(process.execPath),
  ];
  const pathEnv = [...new Set(dirs), process.env.PATH ?? ""].join(path.delimiter);
  for (const c of tools.filter((c) => c.name !== "pulumi")) {
    const ambient = which(c.name, pathEnv);
    if (ambient && ambient !== c.path) {
      reporter.line(`warning: ${ambient} is on PATH and the CLI will prefer it to ${c.path}`);
    }
  }
  if (process.env.PULUMI_IGNORE_AMBIENT_PLUGINS) {
    reporter.line("PULUMI_IGNORE_AMBIENT_PLUGINS is set; unsetting it so the CLI finds the providers and the policy launcher");
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: pathEnv,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  delete env.PULUMI_IGNORE_AMBIENT_PLUGINS;
  return env;
}

