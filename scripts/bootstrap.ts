/**
 * Provides the pinned Pulumi toolchain: CLI, resource providers and the TypeScript policy-pack
 * launcher. Each comes from PATH when its version fits, else the cache, else the release
 * download, else a build from Go modules (tools/pulumi-build/README.md says which versions and why).
 *
 *   npm run bootstrap                          # CLI + kubernetes provider
 *   npm run bootstrap -- --providers kubernetes,command
 *   npm run bootstrap -- --offline --json      # no release download; machine-readable result
 *   eval "$(npm run -s bootstrap -- --print-env)"  # use the toolchain from this shell
 *
 * Written in TypeScript rather than shell because the release route is the Automation API's
 * PulumiCommand.install and because tests and deploy scripts call the same code in-process.
 */
import { parseArgs } from "util";
import { ToolchainError } from "../lib/toolchain/tool";
import { ensureToolchain, Toolchain } from "../lib/toolchain/ensure";
import { formatDuration, silentReporter, stderrReporter } from "../lib/toolchain/progress";

const usage = `usage: bootstrap [--providers a,b] [--offline] [--no-build] [--json | --print-env] [--quiet]

  --providers LIST  providers to provide, comma-separated (default: kubernetes)
  --offline         skip release downloads (also ATLAS_TOOLCHAIN_OFFLINE=1)
  --no-build        fail instead of building from Go modules
  --json            print the resolved toolchain as JSON on stdout
  --print-env       print shell export lines that put the toolchain first on PATH
  --quiet           no progress lines on stderr (errors are still printed)`;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      providers: { type: "string" },
      offline: { type: "boolean", default: false },
      "no-build": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      "print-env": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.json && values["print-env"]) throw new Error("--json and --print-env cannot be combined");
  const providers = values.providers?.split(",").map((p) => p.trim()).filter((p) => p.length > 0);
  if (values.providers !== undefined && (!providers || providers.length === 0)) {
    throw new Error("--providers needs at least one provider name, e.g. --providers kubernetes");
  }
  return { ...values, providers };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function printResult(toolchain: Toolchain, mode: { json: boolean; printEnv: boolean }): void {
  if (mode.json) {
    const { env, ...rest } = toolchain;
    const pulumiEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k === "PATH" || k.startsWith("PULUMI_")));
    process.stdout.write(JSON.stringify({ ...rest, env: pulumiEnv }, null, 2) + "\n");
  } else if (mode.printEnv) {
    process.stdout.write(`export PATH=${shellQuote(toolchain.env.PATH ?? "")}\n`);
    process.stdout.write("export PULUMI_SKIP_UPDATE_CHECK=true\nexport PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true\n");
    process.stdout.write("unset PULUMI_IGNORE_AMBIENT_PLUGINS\n");
  }
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bootstrap: ${err instanceof Error ? err.message : String(err)}\n${usage}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(usage + "\n");
    return 0;
  }
  const reporter = args.quiet ? silentReporter : stderrReporter;
  try {
    const toolchain = await ensureToolchain({
      providers: args.providers,
      allowDownload: args.offline ? false : undefined,
      allowBuild: !args["no-build"],
      reporter,
    });
    if (!toolchain.languageHost) {
      reporter.line(
        "no Node.js language host beside this CLI: run programs through the Automation API (inline program); " +
          "policy packs run through pulumi-analyzer-policy-nodejs",
      );
    }
    reporter.line(`ready in ${formatDuration(toolchain.ms)}`);
    printResult(toolchain, { json: args.json, printEnv: args["print-env"] });
    return 0;
  } catch (err) {
    const message = err instanceof ToolchainError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`bootstrap: ${message}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
