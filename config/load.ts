import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { secretKeys, StackConfig, stackConfigSchema } from "./schema";

// Exported by the SDK's runtime/config module (and used by pulumi.Config itself) but absent from its typings.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/** The config namespace of this project's keys (`atlas:cluster`, `atlas:image`, ...). */
export const namespace = "atlas";

/** A validated stack config, with the secret keys wrapped as secret Outputs. */
export interface LoadedConfig {
  config: StackConfig;
  /** Store credentials as secret Outputs (undefined when not configured). */
  storeCredentials?: { accessKey: pulumi.Output<string>; secretKey: pulumi.Output<string> };
}

/** The stack's `atlas:*` keys, structured values decoded from their JSON form. */
export function readRawConfig(all: Record<string, string> = pulumi.runtime.allConfig()): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(all)) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    const key = fullKey.slice(namespace.length + 1);
    raw[key] = decode(value);
  }
  return raw;
}

function decode(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: any = input;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = cur[p as any];
  }
  return cur;
}

function keyPath(path: PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return `${namespace}:${head ?? "<root>"}${rest.map((p) => (/^[0-9]+$/.test(p) ? `[${p}]` : `.${p}`)).join("")}`;
}

function show(v: unknown, isSecret: boolean): string {
  if (v === undefined) return "nothing";
  if (isSecret) return "[secret]";
  return JSON.stringify(v);
}

/** One line per problem: the key as the operator writes it, what was received, what is allowed. */
export function formatIssues(issues: z.core.$ZodIssue[], raw: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) {
        const p = [...issue.path, k];
        lines.push(`${keyPath(p)}: unknown key (received ${show(valueAt(raw, p), false)}); remove it or check its spelling`);
      }
      continue;
    }
    const secret = secretKeys.includes(issue.path[0] as any);
    const received = show(valueAt(raw, issue.path), secret);
    let allowed = issue.message;
    if (issue.code === "invalid_value") allowed = `allowed: ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}`;
    else if (issue.code === "invalid_union" && "options" in issue) allowed = `allowed: ${(issue as any).options.map((v: unknown) => JSON.stringify(v)).join(" | ")}`;
    else if (issue.code === "invalid_type") allowed = `expected ${issue.expected}`;
    lines.push(`${keyPath(issue.path)}: received ${received}; ${allowed}`);
  }
  return lines;
}

/** Thrown for an invalid stack config: one message listing every problem. */
export class StackConfigError extends pulumi.RunError {
  constructor(public readonly problems: string[], stack: string) {
    super(`invalid stack config for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`);
  }
}

/** Pure validation: raw config in, typed config or the list of problems out. */
export function parseStackConfig(raw: Record<string, unknown>, isSecret: (key: string) => boolean = () => true): { config?: StackConfig; problems: string[] } {
  const problems: string[] = [];
  for (const key of secretKeys) {
    if (raw[key] !== undefined && !isSecret(key)) {
      problems.push(`${namespace}:${key}: received a plain-text value; set it with \`pulumi config set --secret ${namespace}:${key}\``);
    }
  }
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) problems.push(...formatIssues(parsed.error.issues, raw));
  return problems.length ? { problems } : { config: parsed.data, problems };
}

/**
 * Reads and validates every `atlas:` key of the current stack before anything is declared;
 * throws {@link StackConfigError} (no stack trace) listing every bad key.
 */
export function loadStackConfig(): LoadedConfig {
  const raw = readRawConfig();
  const { config, problems } = parseStackConfig(raw, (key) => isConfigSecret(`${namespace}:${key}`));
  if (!config) throw new StackConfigError(problems, pulumi.getStack());
  const storeCredentials =
    config.storeAccessKey !== undefined && config.storeSecretKey !== undefined
      ? { accessKey: pulumi.secret(config.storeAccessKey), secretKey: pulumi.secret(config.storeSecretKey) }
      : undefined;
  // The plain-text copies must not travel further than this function.
  const { storeAccessKey: _a, storeSecretKey: _s, ...rest } = config;
  return { config: rest as StackConfig, storeCredentials };
}
