/**
 * The `pulumi config set|rm` commands the project tells an operator to paste: in the README's
 * shell blocks and prose, in the stack files' comments, and in the config error messages. Pure
 * (no engine), so the unit tier counts them and the engine tier runs them.
 */
import * as fs from "fs";
import * as path from "path";
import { stackConfigError, validateStackConfig } from "../../config/load";
import { atlasKeys, stackFileConfig, stackNames } from "../../config/stackFile";
import { repoRoot } from "../../lib/paths";

export interface DocumentedCommand {
  /** Where the command is written. */
  source: string;
  /** The command as written. */
  text: string;
  /** set, or rm (value then empty). */
  verb: "set" | "rm";
  /** The stack named with -s, if any. */
  stack?: string;
  key: string;
  /** The value as written; "<...>" is a placeholder. */
  value: string;
  secret: boolean;
}

/**
 * The stack a command without -s runs against. Such a command acts on whichever stack is
 * selected; offline's cluster section has no other target's keys (dev's has kind's name and
 * workers, prod's the kubeconfig context), so the README's `cluster.target local` alone gives a
 * valid cluster there.
 */
export const defaultDocsStack = "offline";

/** Whether a documented value is a placeholder the operator replaces ("<token>"). */
export const isPlaceholder = (value: string) => /^<.*>$/.test(value);

const commandStart = /^pulumi config (set|rm) /;

/** One command's parts; words in single quotes lose them, as the shell would. */
export function parseConfigCommand(source: string, text: string): DocumentedCommand {
  const words = text.split(/\s+/).map((w) => w.replace(/^'(.*)'$/, "$1"));
  const s = words.indexOf("-s");
  const args = words.slice(3).filter((w, i, all) => !w.startsWith("--") && w !== "-s" && all[i - 1] !== "-s");
  const verb = words[2] as "set" | "rm";
  return { source, text, verb, stack: s === -1 ? undefined : words[s + 1], key: args[0] ?? "", value: verb === "rm" ? "" : (args[1] ?? ""), secret: words.includes("--secret") };
}

/**
 * The commands in a text: a line that is one (a shell line, or a `#` comment line of YAML, with any
 * trailing `# ...` comment dropped), and every inline code span that is one (prose, messages).
 */
export function configCommandsIn(source: string, text: string): DocumentedCommand[] {
  return text.split("\n").flatMap((raw) => {
    const line = raw.replace(/^\s*#\s*/, "").replace(/\s+#.*$/, "").trim();
    if (commandStart.test(line)) return [parseConfigCommand(source, line)];
    return [...raw.matchAll(/`([^`]+)`/g)].map((m) => m[1].trim()).filter((span) => commandStart.test(span)).map((span) => parseConfigCommand(source, span));
  });
}

/** The commands of the README and of every stack file, in order. */
export function documentedCommands(): DocumentedCommand[] {
  const files = ["README.md", ...stackNames.map((s) => `Pulumi.${s}.yaml`)];
  return files.flatMap((file) => configCommandsIn(file, fs.readFileSync(path.join(repoRoot, file), "utf8")));
}

/**
 * The commands the config error messages give (config/load.ts, key paths from config/problems.ts),
 * as the program prints them: for a credential set in plain text, and for any other bad key.
 */
export function errorHintCommands(): DocumentedCommand[] {
  const dev = atlasKeys(stackFileConfig("dev"));
  const breaches: [string, Record<string, unknown>][] = [
    ["a store token set in plain text", { ...dev, store: { ...(dev.store as object), credentials: { bearerToken: "plain" } } }],
    ["a server port below 1024", { ...dev, server: { ...(dev.server as object), port: 80 } }],
  ];
  return breaches.flatMap(([why, raw]) => {
    const { problems } = validateStackConfig(raw, () => false);
    if (problems.length === 0) throw new Error(`internal: ${why} is no config problem`);
    return configCommandsIn(`config error for ${why}`, stackConfigError(problems, "dev").message);
  });
}
