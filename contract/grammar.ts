/**
 * The value grammars the stack config, the chart's values schema and the policy pack share. Each
 * is a regular expression source in the subset JavaScript and Go's RE2 agree on, so the same
 * pattern validates in zod, in values.schema.json (helm) and in the policy rules.
 */

import { broadEgress } from "./network";

/** An alternation matching the integers from..to written without leading zeros: 16..32 is (1[6-9]|2[0-9]|3[0-2]). */
function integerRange(from: number, to: number): string {
  const parts: string[] = [];
  for (let n = from; n <= to; ) {
    const tens = Math.floor(n / 10);
    const last = Math.min(to, tens * 10 + 9);
    const [a, b] = [n % 10, last % 10];
    parts.push(`${tens === 0 ? "" : tens}${a === b ? a : `[${a}-${b}]`}`);
    n = last + 1;
  }
  return `(${parts.join("|")})`;
}

const octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

const positiveNumber = "([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)";

export const patterns = {
  /** A positive storage quantity: 512Mi, 8Gi, 1G, a byte count. */
  storageQuantity: `^${positiveNumber}(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$`,
  /** A positive CPU quantity as a string: 500m, 2. */
  cpuQuantity: `^${positiveNumber}m?$`,
  /** A positive metric target quantity as the HPA takes it ("500m" is 0.5). */
  metricQuantity: `^${positiveNumber}(m|k|M|G)?$`,
  /** A DNS-1123 label (namespaces, releases, Secrets, claims). */
  dnsLabel: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  /** A label key, optionally prefixed: bijux.io/local-ssd. */
  labelKey: "^([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$",
  /** An image repository without tag or digest. */
  imageRepository: "^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9._-]+)*$",
  /** An image tag. */
  imageTag: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
  /** An image digest. */
  imageDigest: "^sha256:[a-f0-9]{64}$",
  /** repository[:tag]@sha256:<64 hex>: an image pinned by digest. */
  digestReference: "^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9._-]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[a-f0-9]{64}$",
  /** An http(s) URL. */
  httpUrl: "^https?://[^\\s/]+(/\\S*)?$",
  /**
   * The store's base URL: http(s), no userinfo, query or fragment. The server appends dataset
   * paths to it and authenticates with its bearer token only, so a credential in the URL would be
   * both useless and a leak (the URL is a plain ConfigMap value).
   */
  storeBaseUrl: "^https?://[^\\s/@?#]+(/[^\\s?#]*)?$",
  /** A Prometheus duration: 30s, 1m, 1h30m. */
  promDuration: "^([0-9]+(ms|s|m|h))+$",
  /** An Argo Rollouts pause duration: 5m, 1h, 30s. */
  rolloutDuration: "^([0-9]+(s|m|h))+$",
  /** A Helm chart version, pinned exactly. */
  chartVersion: "^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$",
  /** A percentage 0-100 as Kubernetes writes it: "50%". */
  percentage: "^(100|[1-9]?[0-9])%$",
  /**
   * An IPv4 or IPv6 CIDR no wider than the contract's broad-egress threshold (contract/network.ts
   * `broadEgress`): a prefix of at least /16 for IPv4 and /48 for IPv6, so one entry alone never
   * exceeds it. Octets are checked here, hextets for shape only; the address itself by
   * `parseCidr` where code runs.
   */
  narrowCidr: `^((${octet}\\.){3}${octet}/${integerRange(broadEgress.ipv4.widestPrefix, 32)}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/${integerRange(broadEgress.ipv6.widestPrefix, 128)})$`,
  /**
   * A dataset id as the server takes it: release/species/assembly (112/homo_sapiens/GRCh38).
   * release: digits; species: lowercase snake_case; assembly: letters, digits, '.', '_'.
   */
  datasetId: "^[0-9]{1,16}/[a-z0-9]+(_[a-z0-9]+)*/[A-Za-z0-9._]+$",
  /** An ATLAS_* environment key. */
  atlasEnvKey: "^ATLAS_[A-Z0-9_]+$",
} as const;

/**
 * Image tags the contract refuses everywhere an image is named: a moving tag names no one build,
 * so a pod restarted later may run another server than the one that was tested.
 */
export const refusedImageTags: readonly string[] = ["latest"];

/** The refused tags quoted and comma-separated, as messages name them. */
export const describeRefusedTags = (): string => refusedImageTags.map((t) => JSON.stringify(t)).join(", ");

/** Upper bounds the patterns cannot state: the server's limits on a dataset id's parts. */
export const datasetIdLimits = { release: 16, species: 64, assembly: 64 } as const;

/** A dataset id split into the server's three parts. */
export function datasetIdParts(id: string): { release: string; species: string; assembly: string } {
  const [release, species, assembly] = id.split("/");
  return { release, species, assembly };
}

/** Whether a dataset id matches the grammar and the per-part limits. */
export function isDatasetId(id: string): boolean {
  if (!new RegExp(patterns.datasetId).test(id)) return false;
  const parts = datasetIdParts(id);
  return (Object.keys(datasetIdLimits) as (keyof typeof datasetIdLimits)[]).every((k) => parts[k].length <= datasetIdLimits[k]);
}

export const datasetIdExample = "112/homo_sapiens/GRCh38";
