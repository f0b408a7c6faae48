/**
 * The atlas chart's values a stack asks for: its chart sections as they are (same names, same
 * schemas), plus the few values the stack computes (the image it deployed, the credentials
 * Secret, the scraping namespace, the objects' name). Generic over the value type so the program passes Pulumi
 * Outputs (a built image's digest, secret tokens) and config validation passes placeholders.
 */
import type { ChartValuesInput } from "./chartValues";
import { stackChartSectionNames, StackConfig } from "./schema";

export interface StackValueInputs<T> {
  /** The deployed image, split the way the chart takes it. */
  image: { repository: T; tag: T; digest: T };
  /** The store's bearer token (a secret), when the stack sets one: the chart then creates the Secret. */
  bearerToken?: T;
}

/** The chart values of a validated stack config. */
export function stackChartValues<T>(c: StackConfig, inputs: StackValueInputs<T>): Record<string, unknown> {
  const sections = Object.fromEntries(stackChartSectionNames.map((name) => [name, c[name]]));
  const { provision: _provision, volumes: _volumes, ...nodeLocalSsdProfile } = c.nodeLocalSsdProfile;
  const credentials =
    inputs.bearerToken !== undefined
      ? { create: true, bearerToken: inputs.bearerToken, existingSecret: "" }
      : { create: false, bearerToken: "", existingSecret: c.store.credentials.existingSecret };
  return {
    ...sections,
    // The stack names the release's objects after the release; the chart's own naming is not repeated here.
    fullnameOverride: c.release.name,
    image: { ...inputs.image, pullPolicy: c.image.pullPolicy },
    imagePullSecrets: c.image.pullSecrets,
    store: { ...c.store, credentials },
    networkPolicy: { ...c.networkPolicy, ingress: { monitoringNamespace: c.monitoring.namespace } },
    nodeLocalSsdProfile,
  } satisfies Record<keyof ChartValuesInput, unknown> | Record<string, unknown>;
}
