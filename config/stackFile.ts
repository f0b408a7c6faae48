/**
 * The stack files (Pulumi.<stack>.yaml) as data: their `config:` blocks, edited by key path the way
 * `pulumi config set --path` edits them, and validated as the program validates them. Tests,
 * benchmarks and generators read stacks through this module.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { repoRoot } from "../lib/paths";
import { validateStackConfig } from "./load";
import { configNamespace, formatProblems } from "./problems";
import type { StackConfig } from "./schema";

/** The stacks this project ships (Pulumi.<stack>.yaml). */
export const stackNames = fs
  .readdirSync(repoRoot)
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

/** The `config:` block of Pulumi.<stack>.yaml. */
export function stackFileConfig(stack: string): Record<string, unknown> {
  const file = path.join(repoRoot, `Pulumi.${stack}.yaml`);
  const config = (parse(fs.readFileSync(file, "utf8"))?.config ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(config)) {
    if (JSON.stringify(value ?? null).includes('"secure"')) {
      throw new Error(`${file}: ${key} holds an encrypted value, which tests cannot decrypt; set it with RunOptions.secrets instead`);
    }
  }
  return config;
}

export interface ConfigEdits {
  /**
   * Values set by key path, as `pulumi config set --path` does: {"atlas:cluster.target": "kubeconfig",
   * "atlas:cache.pinnedDatasets[0]": "x"}. undefined removes the key.
   */
  set?: Record<string, unknown>;
  /** Like `set`, as `pulumi config set --secret --path`: the top-level key becomes secret. */
  secrets?: Record<string, unknown>;
  /** Replaces the stack file's config block entirely (before `set` and `secrets`). */
  config?: Record<string, unknown>;
}

/** Splits "atlas:a.b[0].c" into the top-level key "atlas:a" and the path [b, 0, c]. */
export function splitKeyPath(keyPath: string): { key: string; path: (string | number)[] } {
  const colon = keyPath.indexOf(":");
  const parts = keyPath
    .slice(colon + 1)
    .split(/\.|(?=\[)/)
    .map((p) => (/^\[[0-9]+\]$/.test(p) ? Number(p.slice(1, -1)) : p));
  return { key: `${keyPath.slice(0, colon)}:${parts[0]}`, path: parts.slice(1) };
}

export function setPath(config: Record<string, unknown>, keyPath: string, value: unknown): string {
  const { key, path: rest } = splitKeyPath(keyPath);
  if (rest.length === 0) {
    if (value === undefined) delete config[key];
    else config[key] = structuredClone(value);
    return key;
  }
  let cur: any = (config[key] = structuredClone(config[key] ?? (typeof rest[0] === "number" ? [] : {})));
  rest.slice(0, -1).forEach((p, i) => {
    cur[p] ??= typeof rest[i + 1] === "number" ? [] : {};
    cur = cur[p];
  });
  const last = rest[rest.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur) && typeof last === "number") cur.splice(last, 1);
    else delete cur[last];
  } else cur[last] = structuredClone(value);
  return key;
}


/** The config a run of `stack` sees: the stack file (or `opts.config`) with `set` and `secrets` applied. */
export function stackConfig(stack: string, opts: ConfigEdits = {}): { config: Record<string, unknown>; secretKeys: string[] } {
  const config: Record<string, unknown> = structuredClone(opts.config ?? stackFileConfig(stack));
  for (const [k, v] of Object.entries(opts.set ?? {})) setPath(config, k, v);
  const secretKeys = new Set(Object.entries(opts.secrets ?? {}).map(([k, v]) => setPath(config, k, v)));
  return { config, secretKeys: [...secretKeys] };
}

/** The `atlas:` keys of a config block, keyed without the namespace, as validateStackConfig takes them. */
export function atlasKeys(config: Record<string, unknown>): Record<string, unknown> {
  const prefix = `${configNamespace}:`;
  return Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/** The validated config of a stack file with `set` applied; throws listing every problem if invalid. */
export function stackFileStackConfig(stack: string, set: ConfigEdits["set"] = {}): StackConfig {
  const { config: raw } = stackConfig(stack, { set });
  const { config, problems } = validateStackConfig(atlasKeys(raw), () => true);
  if (!config) throw new Error(`Pulumi.${stack}.yaml with ${JSON.stringify(set)} is invalid:\n${formatProblems(problems).join("\n")}`);
  return config;
}
