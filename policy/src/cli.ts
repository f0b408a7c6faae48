import * as path from "path";
import { parseArgs } from "util";
import { readExemptions, readPackConfig } from "./config";
import { check, counts } from "./evaluate";
import { InputError, loadObjects, SourcedObject } from "./read";
import { toJson, toText } from "./report";
import { rules } from "./rules";

/** The pack's exemptions file (policy/exemptions.yaml, from src/ or from the compiled dist/policy/src/). */
export const defaultExemptionsFile = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "..", "exemptions.yaml");

const usage = `Usage: atlas-policy check [options] <paths...>

Checks Kubernetes YAML against the bijux-atlas security and egress contract: files or directories
(recursively, *.yaml and *.yml), multi-document, read as kubectl and the API server read them.

Options:
  --json               print findings as a JSON array
  --config <file>      pack config JSON (the --policy-pack-config format): enforcement levels and policy settings
  --exemptions <file>  exemptions YAML (default: ${defaultExemptionsFile})
  -h, --help           show this help

Exit status: 0 clean, 1 a mandatory violation, 2 bad input or usage.
`;

/**
 * Runs the CLI; returns the exit code (0 clean, 1 mandatory violation, 2 bad input or usage).
 * Arguments are read with node's own parseArgs: the checker starts in the time a pull-request
 * check can afford, without loading an argument-parsing framework.
 */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help" || command === "help") {
    out(usage);
    return 0;
  }
  if (command !== "check") {
    err(`atlas-policy: ${command === undefined ? "missing command" : `unknown command "${command}"`} (the command is check)\n\n${usage}`);
    return 2;
  }
  let opts: { json?: boolean; config?: string; exemptions?: string; help?: boolean };
  let paths: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      options: { json: { type: "boolean" }, config: { type: "string" }, exemptions: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    opts = parsed.values;
    paths = parsed.positionals;
  } catch (e) {
    err(`atlas-policy: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (opts.help) {
    out(usage);
    return 0;
  }
  if (!paths.length) {
    err(`atlas-policy: check needs at least one file or directory\n\n${usage}`);
    return 2;
  }
  try {
    const config = opts.config ? readPackConfig(opts.config, rules) : {};
    const exemptions = readExemptions(opts.exemptions ?? defaultExemptionsFile, rules);
    const sourced = loadObjects(paths);
    if (!sourced.length) throw new InputError(`no Kubernetes objects found in ${paths.join(", ")}`);
    const sources = new Map<object, SourcedObject>(sourced.map((s) => [s.object, s]));
    const findings = check(
      sourced.map((s) => s.object),
      { config, exemptions },
    );
    out(opts.json ? JSON.stringify(toJson(findings, sources), null, 2) + "\n" : toText(findings, sources, sourced.length) + "\n");
    return counts(findings).mandatory > 0 ? 1 : 0;
  } catch (e) {
    err(`atlas-policy: ${(e as Error).message}\n`);
    return 2;
  }
}
