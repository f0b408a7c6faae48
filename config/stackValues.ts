/**
 * The atlas chart's values a stack asks for: its chart sections as they are (same names, same
 * schemas), the few stack keys the chart takes under other names, and the values the stack
 * computes (the image it deployed, the credentials Secret). Generic over the value type so the
 * program passes Pulumi Outputs (a built image's digest, secret tokens) and config validation
 * passes placeholders.
 */
import type { ChartValuesInput } from "./chartValues";
import { stackChartSectionNames, StackConfig } from "./schema";

/** Keys of the stack's chart sections that only the stack uses (how it provisions node-local volumes), never chart values. */
export const stackOnlyKeys: Partial<Record<(typeof stackChartSectionNames)[number], readonly string[]>> = { nodeLocalSsdProfile: ["provision", "volumes"] };

/** What a stack says, validated or as its stack file writes it: its chart sections and the stack keys the chart takes too. */
export type StackSource = { [section: string]: unknown } & {
  image?: { pullSecrets?: unknown; [key: string]: unknown };
  monitoring?: { namespace?: unknown; [key: string]: unknown };
  release?: { name?: unknown; [key: string]: unknown };
};

const without = (section: unknown, keys: readonly string[]): unknown =>
  keys.length === 0 || typeof section !== "object" || section === null ? section : Object.fromEntries(Object.entries(section).filter(([k]) => !keys.includes(k)));

/**
 * The chart values a stack's own keys give: its chart sections as they are, less the stack-only
 * keys, and what the chart names differently: image.pullSecrets is imagePullSecrets,
 * monitoring.namespace the namespace the NetworkPolicy admits scrapes from, release.name the
 * objects' fullname (the stack names them after the release; the chart's own naming is not
 * repeated). A key the source lacks stays out, so a stack file's raw keys give only what the
 * stack sets (the chart profiles) and a validated config gives every value.
 */
export function stackSectionValues(source: StackSource): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of stackChartSectionNames) if (source[name] !== undefined) values[name] = without(source[name], stackOnlyKeys[name] ?? []);
  if (source.release?.name !== undefined) values.fullnameOverride = source.release.name;
  if (source.image?.pullSecrets !== undefined) values.imagePullSecrets = source.image.pullSecrets;
  if (source.monitoring?.namespace !== undefined) {
    values.networkPolicy = { ...(values.networkPolicy as Record<string, unknown> | undefined), ingress: { monitoringNamespace: source.monitoring.namespace } };
  }
  return values;
}

export interface StackValueInputs<T> {
  /** The deployed image, split the way the chart takes it. */
  image: { repository: T; tag: T; digest: T };
  /** The store's bearer token (a secret), when the stack sets one: the chart then creates the Secret. */
  bearerToken?: T;
}

/** The chart values of a validated stack config. */
export function stackChartValues<T>(c: StackConfig, inputs: StackValueInputs<T>): Record<string, unknown> {
  const credentials =
    inputs.bearerToken !== undefined
      ? { create: true, bearerToken: inputs.bearerToken, existingSecret: "" }
      : { create: false, bearerToken: "", existingSecret: c.store.credentials.existingSecret };
  return {
    ...stackSectionValues(c),
    image: { ...inputs.image, pullPolicy: c.image.pullPolicy },
    store: { ...c.store, credentials },
  } satisfies Partial<Record<keyof ChartValuesInput, unknown>>;
}
