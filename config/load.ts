/**
 * Reads every `atlas:` key of the stack, validates it against the schema and the cross-key
 * rules, and either returns the typed config or fails the program with one message listing
 * every bad key. Nothing is declared before this has run.
 */
import * as pulumi from "@pulumi/pulumi";
import { configNamespace, formatProblems, problemsFromIssues } from "./problems";
import { Problem, rules } from "./constraints";
import { SectionName, sections, secretPaths, StackConfig, stackConfigSchema } from "./schema";

// The SDK's runtime/config module exports isConfigSecret (pulumi.Config relies on it) without typings.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(fullKey: string): boolean };

/** Store credentials, only ever as secret Outputs. */
export interface StoreCredentials {
  accessKey: pulumi.Output<string>;
  secretKey: pulumi.Output<string>;
}

export interface LoadedConfig {
  /** The validated config; store.credentials keeps only existingSecret (the keys are in `credentials`). */
  config: StackConfig;
  /** Store access and secret key as secrets, when configured. */
  credentials?: StoreCredentials;
  /**
   * Keys other than `atlas:store` the operator set as secrets. Their values are not credentials
   * by contract, but the chart values derived from them are kept secret too.
   */
  secretKeys: string[];
}

/** Thrown for an invalid stack config; a RunError, so Pulumi prints the message without a stack trace. */
export class StackConfigError extends pulumi.RunError {
  constructor(
    public readonly lines: string[],
    stack: string,
  ) {
    super(
      `invalid configuration of stack "${stack}": ${lines.length} problem${lines.length === 1 ? "" : "s"}\n` +
        lines.map((l) => `  - ${l}`).join("\n") +
        `\nFix them in Pulumi.${stack}.yaml or with \`pulumi config set --path <key> <value>\` and run again.`,
    );
    this.name = "StackConfigError";
  }
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
        allowed: `a secret: set it with \`pulumi config set --secret --path ${path.join(".")} <value>\``,
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
  if (!config) throw new StackConfigError(formatProblems(problems), pulumi.getStack());

  const { accessKey, secretKey, existingSecret } = config.store.credentials ?? {};
  const credentials = accessKey !== undefined && secretKey !== undefined ? { accessKey: pulumi.secret(accessKey), secretKey: pulumi.secret(secretKey) } : undefined;
  // The plain-text copies stop here: components only ever see the secret Outputs.
  const store = { ...config.store, credentials: existingSecret !== undefined ? { existingSecret } : undefined };
  const secretKeys = Object.keys(raw).filter((k) => k !== "store" && isSecretKey(k));
  return { config: { ...config, store }, credentials, secretKeys };
}
