/**
 * Chart rendering for the tests: the profiles and `helm template` as objects (lib/), pod walkers
 * (contract/). Without valuesFiles a render starts from the "default" profile (values.yaml plus
 * the store every deployment must name), so `values` are overrides of a valid deployment.
 */
import { containersOf as namedContainersOf, podTemplateOf } from "../../contract/k8s";
import { defaultProfileFiles, parseManifests, K8sObject } from "../../lib/chartProfiles";
import { helmTemplate as rawHelmTemplate, TemplateOptions, TemplateResult } from "../../lib/helm";

/** `helm template` outcome (no throw); starts from the default profile unless valuesFiles are given. */
export function helmTemplate(opts: TemplateOptions = {}): TemplateResult {
  return rawHelmTemplate({ ...opts, valuesFiles: opts.valuesFiles ?? defaultProfileFiles });
}

/** Renders and parses; throws with helm's stderr on failure. */
export function renderChart(opts: TemplateOptions = {}): K8sObject[] {
  const r = helmTemplate(opts);
  if (r.status !== 0) throw new Error(`helm template failed (exit ${r.status}):\n${r.stderr}`);
  return parseManifests(r.stdout);
}

/** The pod template of a pod-bearing object, or undefined for other kinds. */
export function podSpecOf(obj: { kind?: string; [field: string]: any }): { metadata?: any; spec: any } | undefined {
  return podTemplateOf(obj);
}

/** Every container of a pod spec, init containers included. */
export function containersOf(podSpec: any): any[] {
  return namedContainersOf(podSpec, { ephemeral: false }).map((c) => c.container);
}
