import * as fs from "fs";
import { readYaml } from "./yaml";
import type { Enforcement, Rule, Settings } from "./types";

/**
 * Pack config, in the format of `pulumi preview --policy-pack-config`: per policy either an
 * enforcement level or an object with `enforcementLevel` and the policy's settings; "all" sets
 * the default level.
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

const levelIn = (entry: PackConfig[string] | undefined) => (typeof entry === "string" ? entry : entry?.enforcementLevel);

export function enforcementOf(rule: Rule, config: PackConfig = {}): Enforcement {
  return levelIn(config[rule.name]) ?? levelIn(config.all) ?? rule.level;
}

/** A rule's settings: the pack config's values over the rule's defaults. */
export function settingsOf(rule: Rule, config: PackConfig = {}): Settings {
  const own = config[rule.name];
  const given = own && typeof own === "object" ? own : {};
  return Object.fromEntries(Object.entries(rule.settings ?? {}).map(([k, spec]) => [k, (given[k] as Settings[string] | undefined) ?? spec.default]));
}

/** Validates a pack config object against the rules; throws naming the bad entry and what is allowed. */
export function validatePackConfig(config: unknown, rules: readonly Rule[], source: string): PackConfig {
  if (config === null || typeof config !== "object" || Array.isArray(config)) throw new Error(`${source}: pack config must be an object of policy name to enforcement level or settings`);
  for (const [name, value] of Object.entries(config)) {
    const rule = rules.find((r) => r.name === name);
    if (name !== "all" && !rule) throw new Error(`${source}: unknown policy "${name}" (known: ${rules.map((r) => r.name).join(", ")})`);
    const level = typeof value === "string" ? value : (value as any)?.enforcementLevel;
    if (level !== undefined && !levels.includes(level)) throw new Error(`${source}: ${name}: enforcement level "${level}" is not one of ${levels.join(", ")}`);
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === "enforcementLevel") continue;
        const spec = rule?.settings?.[k];
        if (!spec) throw new Error(`${source}: ${name}: unknown setting "${k}" (settings: ${Object.keys(rule?.settings ?? {}).join(", ") || "none"})`);
        if (typeof v !== spec.type) throw new Error(`${source}: ${name}.${k}: expected a ${spec.type}, got ${JSON.stringify(v)}`);
      }
    }
  }
  return config as PackConfig;
}

export function readPackConfig(file: string, rules: readonly Rule[]): PackConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read pack config: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return validatePackConfig(parsed, rules, file);
}

/** Reads the exemptions file (YAML: `exemptions: [{policy, kind, namespace?, name, reason}]`). */
export function readExemptions(file: string, rules: readonly Rule[]): Exemption[] {
  if (!fs.existsSync(file)) return [];
  const [doc] = readYaml(fs.readFileSync(file, "utf8"), file);
  const list = (doc?.value as any)?.exemptions ?? [];
  if (!Array.isArray(list)) throw new Error(`${file}: exemptions must be a list`);
  return list.map((e: any, i: number) => {
    for (const f of ["policy", "kind", "name", "reason"]) {
      if (typeof e?.[f] !== "string" || !e[f].trim()) throw new Error(`${file}: exemptions[${i}].${f} is required (an exemption names the policy, the object and the reason)`);
    }
    if (!rules.some((r) => r.name === e.policy)) throw new Error(`${file}: exemptions[${i}].policy "${e.policy}" is not a policy of this pack`);
    return { policy: e.policy, kind: e.kind, name: e.name, namespace: e.namespace, reason: e.reason } as Exemption;
  });
}
