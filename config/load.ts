/**
 * Reads every `atlas:` key of the stack, validates it against the schema and the cross-key
 * rules, and either returns the typed config or fails the program with one message listing
 * every bad key. Nothing is declared before this has run.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkChartValues } from "./chartConstraints";
import { chartValuesSchema, placeholderDigest } from "./chartValues";
import { configNamespace, formatProblems, isSecretPath, keyPath, problemsFromIssues } from "./problems";
import { Problem, rules } from "./constraints";
import { stackChartValues } from "./stackValues";
import { SectionName, sections, secretPaths, StackConfig, stackConfigSchema } from "./schema";

// The SDK's runtime/config module exports isConfigSecret (pulumi.Config relies on it) without typings.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(fullKey: string): boolean };

/** Store credentials, only ever as secret Outputs. */
export interface StoreCredentials {
  bearerToken: pulumi.Output<string>;
}

export interface LoadedConfig {
  /** The validated config; store.credentials keeps only existingSecret (the keys are in `credentials`). */
  config: StackConfig;
  /** Store access and secret key as secrets, when configured. */
  credentials?: StoreCredentials;
  /**
   * Keys other than `atlas:store` the operator set as secrets. Their values are not credentials
   * by contract, but the chart values derived from them are kept secret too. `atlas:store` is
   * secret whenever its token is (Pulumi marks the whole top-level key); the token leaves as a
   * secret Output, and the rest of the section cannot hold a credential (store.url refuses
   * userinfo and query strings).
   */
  secretKeys: string[];
}

/** Thrown for an invalid stack config; a RunError, so Pulumi prints the message without a stack trace. */
export class StackConfigError extends pulumi.RunError {
  constructor(
    public readonly lines: string[],
    stack: string,
    /** A command that fixes one key, as an operator pastes it. */
    fixCommand: string,
  ) {
    super(
      `invalid configuration of stack "${stack}": ${lines.length} problem${lines.length === 1 ? "" : "s"}\n` +
        lines.map((l) => `  - ${l}`).join("\n") +
        `\nFix them in Pulumi.${stack}.yaml or with \`${fixCommand}\` (each key as printed above) and run again.`,
    );
    this.name = "StackConfigError";
  }
}

/** A key path as the shell passes it on: quoted when it has an index, which the shell would glob. */
const shellKeyPath = (path: readonly (string | number)[]) => (/[[\]]/.test(keyPath(path)) ? `'${keyPath(path)}'` : keyPath(path));

/**
 * The error for a stack config with these problems (at least one). Its fix hint is the command for
 * the first key listed, under the `atlas:` namespace (a key set without it is never read) and with
 * --secret when the key is a credential.
 */
export function stackConfigError(problems: readonly Problem[], stack: string): StackConfigError {
  const [first] = [...problems].sort((a, b) => keyPath(a.path).localeCompare(keyPath(b.path)));
  const fix = `pulumi config set${isSecretPath(first.path) ? " --secret" : ""} --path ${shellKeyPath(first.path)} <value> -s ${stack}`;
  return new StackConfigError(formatProblems(problems), stack, fix);
}

/** The stack's `atlas:*` values keyed without the namespace; structured values decoded from JSON. */
export function readRawConfig(all: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(all)) {
    if (!fullKey.startsWith(`${configNamespace}:`)) continue;
    let decoded: unknown = value;
    try {
      decoded = JSON.parse(value);
    } catch {
      // a plain string value
    }
    raw[fullKey.slice(configNamespace.length + 1)] = decoded;
  }
  return raw;
}

function valueAt(raw: unknown, path: readonly string[]): unknown {
  return path.reduce<any>((cur, p) => (cur !== null && typeof cur === "object" ? cur[p] : undefined), raw);
}

/** A stand-in for what the program computes at run time (the image, a secret token), for validation. */
const placeholders = { image: { repository: "registry.invalid/atlas", tag: "", digest: placeholderDigest }, bearerToken: "[secret]" };

/**
 * The chart-value rules (chartConstraints.ts) on the values this stack builds: what the chart
 * would refuse, caught before anything is declared. Values paths are the stack's paths.
 */
function chartValueProblems(config: StackConfig): Problem[] {
  const values = stackChartValues(config, { image: placeholders.image, bearerToken: config.store.credentials.bearerToken === undefined ? undefined : placeholders.bearerToken });
  const parsed = chartValuesSchema.safeParse(values);
  // Every stack section is the chart's own schema, so the chart schema accepts what the stack schema did.
  if (!parsed.success) throw new Error(`internal: the chart values built from a valid stack config are invalid: ${parsed.error.message}`);
  return checkChartValues(parsed.data);
}

/**
 * Validates raw config: the schema (all sections at once), the cross-key rules whose sections
 * parsed, and that credentials were set as secrets. Pure, so tests can drive it directly.
 */
export function validateStackConfig(raw: Record<string, unknown>, isSecretKey: (key: string) => boolean): { config?: StackConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  for (const path of secretPaths) {
    if (valueAt(raw, path) !== undefined && !isSecretKey(path[0])) {
      problems.push({
        path,
        received: valueAt(raw, path),
        allowed: `a secret: set it with \`pulumi config set --secret --path ${shellKeyPath(path)} <value>\``,
      });
    }
  }

  const parsed = stackConfigSchema.safeParse(raw, { reportInput: true });
  let config: Partial<StackConfig>;
  if (parsed.success) {
    config = parsed.data;
  } else {
    problems.push(...problemsFromIssues(parsed.error.issues, raw));
    // Parse section by section so the rules over valid sections still report.
    config = {};
    for (const name of Object.keys(sections) as SectionName[]) {
      const section = sections[name].safeParse(raw[name]);
      if (section.success) (config as Record<string, unknown>)[name] = section.data;
    }
  }
  for (const rule of rules) {
    if (rule.reads.every((s) => config[s] !== undefined)) problems.push(...rule.check(config as StackConfig));
  }
  if (parsed.success) problems.push(...chartValueProblems(parsed.data));
  return problems.length === 0 ? { config: config as StackConfig, problems } : { problems };
}

/**
 * Loads the current stack's config; throws {@link StackConfigError} listing every problem.
 * Credentials leave as secret Outputs only.
 */
export function loadStackConfig(): LoadedConfig {
  const raw = readRawConfig(pulumi.runtime.allConfig());
  const isSecretKey = (key: string) => isConfigSecret(`${configNamespace}:${key}`);
  const { config, problems } = validateStackConfig(raw, isSecretKey);
  if (!config) throw stackConfigError(problems, pulumi.getStack());

  const { bearerToken, existingSecret } = config.store.credentials;
  const credentials = bearerToken !== undefined ? { bearerToken: pulumi.secret(bearerToken) } : undefined;
  // The plain-text copy stops here: components only ever see the secret Output.
  const store = { ...config.store, credentials: { existingSecret } };
  const secretKeys = Object.keys(raw).filter((k) => k !== "store" && isSecretKey(k));
  return { config: { ...config, store }, credentials, secretKeys };
}
