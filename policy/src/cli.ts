import { Command, CommanderError } from "commander";
import * as path from "path";
import { readExemptions, readPackConfig } from "./config";
import { check, counts } from "./evaluate";
import { InputError, loadObjects, SourcedObject } from "./read";
import { toJson, toText } from "./report";
import { rules } from "./rules";

/** The pack's exemptions file (policy/exemptions.yaml, from src/ or from the compiled dist/policy/src/). */
export const defaultExemptionsFile = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "..", "exemptions.yaml");

/** Runs the CLI; returns the exit code (0 clean, 1 mandatory violation, 2 bad input or usage). */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  let code = 0;
  const program = new Command("atlas-policy")
    .description("Checks Kubernetes YAML against the bijux-atlas security and egress contract.")
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err });
  program
    .command("check")
    .description("check YAML files or directories (multi-document, read as kubectl and the API server read them)")
    .argument("<paths...>", "files or directories")
    .option("--json", "print findings as a JSON array")
    .option("--config <file>", "pack config JSON (the --policy-pack-config format): enforcement levels and policy settings")
    .option("--exemptions <file>", "exemptions YAML", defaultExemptionsFile)
    .action((paths: string[], opts: { json?: boolean; config?: string; exemptions: string }) => {
      try {
        const config = opts.config ? readPackConfig(opts.config, rules) : {};
        const exemptions = readExemptions(opts.exemptions, rules);
        const sourced = loadObjects(paths);
        if (!sourced.length) throw new InputError(`no Kubernetes objects found in ${paths.join(", ")}`);
        const sources = new Map<object, SourcedObject>(sourced.map((s) => [s.object, s]));
        const findings = check(
          sourced.map((s) => s.object),
          { config, exemptions },
        );
        out(opts.json ? JSON.stringify(toJson(findings, sources), null, 2) + "\n" : toText(findings, sources, sourced.length) + "\n");
        code = counts(findings).mandatory > 0 ? 1 : 0;
      } catch (e) {
        err(`atlas-policy: ${(e as Error).message}\n`);
        code = 2;
      }
    });
  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return code;
}
