/** The atlas chart's value profiles, their merged values, and rendering them to objects with the pinned helm. */
import * as fs from "fs";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { helmTemplate, TemplateOptions } from "./helm";
import { atlasChartDir } from "./paths";

/** A plain Kubernetes object as helm renders it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/**
 * The chart's profiles, as values files layered on values.yaml: the stack profiles generated
 * from the stack files, and the ci/ scenarios (argo-helm's convention). "default" is values.yaml
 * plus the least a deployment must set (where the store is, and the egress to it).
 */
export const profiles: { name: string; valuesFiles: string[] }[] = [
  { name: "default", valuesFiles: ["ci/store-url-values.yaml"] },
  { name: "offline", valuesFiles: ["values-offline.yaml"] },
  { name: "dev", valuesFiles: ["values-dev.yaml"] },
  { name: "prod", valuesFiles: ["values-prod.yaml"] },
  { name: "store-credentials", valuesFiles: ["ci/store-credentials-values.yaml"] },
  { name: "all-features", valuesFiles: ["ci/all-features-values.yaml"] },
];

export const defaultProfileFiles = profiles[0].valuesFiles;

/** Parses a multi-document YAML stream into objects, skipping empty documents. */
export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`unparsable rendered YAML: ${doc.errors[0].message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null && typeof o === "object");
}

/** Renders the chart and returns the parsed objects; throws with helm's stderr on failure. */
export function renderChart(opts: TemplateOptions = {}): K8sObject[] {
  const r = helmTemplate(opts);
  if (r.status !== 0) throw new Error(`helm template failed (exit ${r.status}):\n${r.stderr}`);
  return parseManifests(r.stdout);
}

/** Renders one of {@link profiles} by name. */
export function renderProfile(name: string, extra: Omit<TemplateOptions, "valuesFiles"> = {}): K8sObject[] {
  const profile = profiles.find((p) => p.name === name);
  if (!profile) throw new Error(`unknown profile ${name}; the profiles are ${profiles.map((p) => p.name).join(", ")}`);
  return renderChart({ ...extra, valuesFiles: profile.valuesFiles });
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Helm's merge of a values layer over the values below it: maps key by key, anything else replaced, null deleting the key. */
function coalesce(base: Record<string, unknown>, layer: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(layer)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = coalesce(out[k] as Record<string, unknown>, v);
    else out[k] = v;
  }
  return out;
}

/**
 * The values one of {@link profiles} renders with: the chart's values.yaml, the profile's values
 * files in order, then `overrides` (as renderProfile's `values`), merged as helm merges them.
 */
export function profileValues(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const profile = profiles.find((p) => p.name === name);
  if (!profile) throw new Error(`unknown profile ${name}; the profiles are ${profiles.map((p) => p.name).join(", ")}`);
  const layers = ["values.yaml", ...profile.valuesFiles].map((f) => (parse(fs.readFileSync(path.join(atlasChartDir, f), "utf8")) ?? {}) as Record<string, unknown>);
  return [...layers, overrides].reduce(coalesce, {});
}
