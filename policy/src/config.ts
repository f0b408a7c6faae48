import * as fs from "fs";
import { parse } from "yaml";
import type { Enforcement, Rule } from "./types";

/**
 * Pack config, in the format of `pulumi preview --policy-pack-config`: per policy either an
 * enforcement level or an object with `enforcementLevel` and policy settings; "all" sets the default.
 */
export type PackConfig = Record<string, Enforcement | ({ enforcementLevel?: Enforcement } & Record<string, unknown>)>;

/** An explicit exemption of one object from one policy, with the reason; always reported. */
export interface Exemption {
  policy: string;
  kind: string;
  name: string;
  /** Omitted: any namespace. */
  namespace?: string;
  reason: string;
}

const levels: Enforcement[] = ["mandatory", "advisory", "disabled"];

export function enforcementOf(rule: Rule, config: PackConfig = {}): Enforcement {
  const own = config[rule.name];
  const level = typeof own === "string" ? own : own?.enforcementLevel;
  const all = typeof config.all === "string" ? config.all : (config.all as any)?.enforcementLevel;
  return (level ?? all ?? rule.enforcement) as Enforcement;
}

export function settingsOf(policy: string, config: PackConfig = {}): Record<string, unknown> {
  const own = config[policy];
  return own && typeof own === "object" ? own : {};
}

/** Validates a pack config object; throws naming the bad entry. */
export function validatePackConfig(config: unknown, knownPolicies: string[], source: string): PackConfig {
  if (config === null || typeof config !== "object" || Array.isArray(config)) throw new Error(`${source}: pack config must be an object of policy name to enforcement level or settings`);
  for (const [name, value] of Object.entries(config)) {
    if (name !== "all" && !knownPolicies.includes(name)) throw new Error(`${source}: unknown policy "${name}" (known: ${knownPolicies.join(", ")})`);
    const level = typeof value === "string" ? value : (value as any)?.enforcementLevel;
    if (level !== undefined && !levels.includes(level)) throw new Error(`${source}: ${name}: enforcement level "${level}" is not one of ${levels.join(", ")}`);
  }
  return config as PackConfig;
}

export function readPackConfig(file: string, knownPolicies: string[]): PackConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read pack config: ${(e as Error).message}`);
  }
  try {
    return validatePackConfig(JSON.parse(text), knownPolicies, file);
  } catch (e) {
    throw new Error(e instanceof SyntaxError ? `${file}: not valid JSON: ${e.message}` : (e as Error).message);
  }
}

/** Reads the exemptions file (YAML: `exemptions: [{policy, kind, namespace?, name, reason}]`). */
export function readExemptions(file: string, knownPolicies: string[]): Exemption[] {
  if (!fs.existsSync(file)) return [];
  const doc = parse(fs.readFileSync(file, "utf8")) ?? {};
  const list = doc.exemptions ?? [];
  if (!Array.isArray(list)) throw new Error(`${file}: exemptions must be a list`);
  return list.map((e: any, i: number) => {
    for (const f of ["policy", "kind", "name", "reason"]) {
      if (typeof e?.[f] !== "string" || !e[f].trim()) throw new Error(`${file}: exemptions[${i}].${f} is required (an exemption names the policy, the object and the reason)`);
    }
    if (!knownPolicies.includes(e.policy)) throw new Error(`${file}: exemptions[${i}].policy "${e.policy}" is not a policy of this pack`);
    return { policy: e.policy, kind: e.kind, name: e.name, namespace: e.namespace, reason: e.reason } as Exemption;
  });
}
