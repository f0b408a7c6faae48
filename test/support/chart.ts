import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { helmPath, repoRoot } from "../../lib/tools";

/** A plain Kubernetes object as helm renders it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

export const chartDir = path.join(repoRoot, "charts", "bijux-atlas");

/** The profiles the chart ships, as values files layered on values.yaml. */
export const profiles: { name: string; valuesFiles: string[] }[] = [
  { name: "default", valuesFiles: [] },
  { name: "offline", valuesFiles: ["values-offline.yaml"] },
  { name: "node-local-ssd", valuesFiles: ["values-node-local-ssd.yaml"] },
  { name: "kind", valuesFiles: ["values-kind.yaml"] },
  { name: "all-features", valuesFiles: ["ci/all-features-values.yaml"] },
];

export interface RenderOptions {
  /** Values files relative to the chart directory, applied in order. */
  valuesFiles?: string[];
  /** Values object applied last (written to a temporary values file). */
  values?: Record<string, unknown>;
  release?: string;
  namespace?: string;
}

export interface RenderResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `helm template` and returns its raw outcome (no throw), for failure assertions. */
export function helmTemplate(opts: RenderOptions = {}): RenderResult {
  const args = ["template", opts.release ?? "atlas", chartDir, "--namespace", opts.namespace ?? "atlas"];
  for (const f of opts.valuesFiles ?? []) args.push("-f", path.join(chartDir, f));
  let tmp: string | undefined;
  if (opts.values) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-values-"));
    const file = path.join(tmp, "values.json");
    fs.writeFileSync(file, JSON.stringify(opts.values));
    args.push("-f", file);
  }
  try {
    const r = spawnSync(helmPath(), args, { encoding: "utf8" });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

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
export function renderChart(opts: RenderOptions = {}): K8sObject[] {
  const r = helmTemplate(opts);
  if (r.status !== 0) throw new Error(`helm template failed (exit ${r.status}):\n${r.stderr}`);
  return parseManifests(r.stdout);
}

/** Renders one of {@link profiles} by name. */
export function renderProfile(name: string, extra: Omit<RenderOptions, "valuesFiles"> = {}): K8sObject[] {
  const profile = profiles.find((p) => p.name === name);
  if (!profile) throw new Error(`unknown profile ${name}`);
  return renderChart({ ...extra, valuesFiles: profile.valuesFiles });
}

/** The pod template spec of a pod-bearing object, or undefined for other kinds. */
export function podSpecOf(obj: K8sObject): { metadata?: any; spec: any } | undefined {
  switch (obj.kind) {
    case "Pod":
      return { metadata: obj.metadata, spec: obj.spec };
    case "Deployment":
    case "ReplicaSet":
    case "StatefulSet":
    case "DaemonSet":
    case "Job":
    case "Rollout":
      return obj.spec?.template;
    case "CronJob":
      return obj.spec?.jobTemplate?.spec?.template;
    default:
      return undefined;
  }
}

/** Every container of a pod spec, init containers included. */
export function containersOf(podSpec: any): any[] {
  return [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])];
}
