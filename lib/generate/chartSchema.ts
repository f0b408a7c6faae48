/** charts/bijux-atlas/values.schema.json, generated from the chart values' zod schema and the JSON-Schema-expressible value rules. */
import { z } from "zod";
import { valuesConstraints } from "../../config/chartConstraints";
import { chartValuesSchema } from "../../config/chartValues";

const safeIntegerBound = 9007199254740991;

/** Drops the ±2^53-1 bounds zod writes on every integer: they say nothing a reader needs. */
function dropSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropSafeIntegerBounds);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === "maximum" && v === safeIntegerBound) || (k === "minimum" && v === -safeIntegerBound)) continue;
    out[k] = dropSafeIntegerBounds(v);
  }
  return out;
}

/**
 * Marks every key of every map section required, but not the keys of array items: helm merges
 * the user's maps over values.yaml, which has every key, so a missing map key means it was deleted
 * (set to null); arrays replace values.yaml's wholesale, so their items keep zod's optional
 * defaulted keys.
 */
function requireMapKeys(node: unknown, inArray = false): unknown {
  if (Array.isArray(node)) return node.map((n) => requireMapKeys(n, inArray));
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = requireMapKeys(v, inArray || k === "items");
  const props = out.properties as Record<string, unknown> | undefined;
  // A null default is no key at all once helm has merged the values.
  if (!inArray && props && out.type === "object") out.required = Object.keys(props).filter((k) => (props[k] as { default?: unknown }).default !== null);
  return out;
}

export function chartValuesJsonSchema(): Record<string, unknown> {
  const generated = requireMapKeys(dropSafeIntegerBounds(z.toJSONSchema(chartValuesSchema, { target: "draft-7", io: "input", unrepresentable: "any" }))) as Record<string, unknown>;
  const rules = valuesConstraints.filter((c) => c.jsonSchema).map((c) => ({ $comment: c.id, ...c.jsonSchema }));
  return {
    $schema: generated.$schema,
    title: "bijux-atlas chart values",
    description: "Generated from config/chartValues.ts by `npm run generate`; do not edit.",
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== "$schema")),
    allOf: rules,
  };
}

export function renderChartValuesJsonSchema(): string {
  return `${JSON.stringify(chartValuesJsonSchema(), null, 2)}\n`;
}
