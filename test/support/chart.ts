/** Chart rendering for the tests: the profiles and `helm template` as objects (lib/chartProfiles), and pod walkers (policy/src/pods). */
import { containersOf as namedContainersOf, podTemplateOf } from "../../policy/src/pods";
import { atlasChartDir } from "../../lib/paths";

export { helmTemplate } from "../../lib/helm";
export { K8sObject, parseManifests, profiles, renderChart, renderProfile } from "../../lib/chartProfiles";
export type { TemplateOptions as RenderOptions } from "../../lib/helm";

export const chartDir = atlasChartDir;

/** The pod template of a pod-bearing object, or undefined for other kinds. */
export function podSpecOf(obj: { kind?: string; [field: string]: any }): { metadata?: any; spec: any } | undefined {
  return podTemplateOf(obj);
}

/** Every container of a pod spec, init containers included. */
export function containersOf(podSpec: any): any[] {
  return namedContainersOf(podSpec, { ephemeral: false }).map((c) => c.container);
}
