/**
 * charts/bijux-atlas/values.yaml, generated: every key with its default, documented where it is
 * set (`# --` comments, as helm-docs reads them) from the descriptions in config/chartValues.ts.
 */
import { stringify } from "yaml";
import { chartValuesSchema } from "../../config/chartValues";
import { chartValuesJsonSchema } from "./chartSchema";

interface SchemaNode {
  description?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
}

function wrap(text: string, indent: string, width = 100): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && indent.length + 2 + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => `${indent}# ${i === 0 ? "-- " : ""}${l}`);
}

function scalarOrBlock(key: string, value: unknown, indent: string): string[] {
  const isEmpty = (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
  if (value === null || typeof value !== "object" || isEmpty) {
    return [`${indent}${key}: ${stringify(value, { flowCollectionPadding: false }).trim()}`];
  }
  const body = stringify(value).trimEnd().split("\n").map((l) => `${indent}  ${l}`);
  return [`${indent}${key}:`, ...body];
}

function render(node: SchemaNode, value: Record<string, unknown>, indent: string): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (indent === "" && out.length) out.push("");
    if (child.description) out.push(...wrap(child.description, indent));
    const v = value[key];
    if (child.properties && v !== null && typeof v === "object" && !Array.isArray(v)) {
      out.push(`${indent}${key}:`, ...render(child, v as Record<string, unknown>, `${indent}  `));
    } else out.push(...scalarOrBlock(key, v, indent));
  }
  return out;
}

export function renderChartValuesYaml(): string {
  const defaults = chartValuesSchema.parse({}) as Record<string, unknown>;
  const header = [
    "# Default values of the bijux-atlas chart: production defaults of the packaging contract.",
    "# Generated from config/chartValues.ts by `npm run generate`; do not edit. values.schema.json",
    "# (generated from the same schema) refuses unknown keys.",
    "",
  ];
  return `${[...header, ...render(chartValuesJsonSchema() as SchemaNode, defaults, "")].join("\n")}\n`;
}
