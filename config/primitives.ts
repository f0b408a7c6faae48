/**
 * Value types shared by the config schema: Kubernetes quantities, image references, CIDRs,
 * DNS names. Patterns match the chart's values.schema.json so a config that parses here is a
 * config the chart accepts.
 */
import { isIP } from "net";
import { z } from "zod";

const positiveNumber = "([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)";

/** A positive storage quantity (512Mi, 8Gi, 1G, a byte count). */
export const storageQuantity = z
  .string()
  .regex(new RegExp(`^${positiveNumber}(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$`), "a positive storage quantity such as 512Mi or 8Gi");

/** A positive CPU quantity: a string (500m, 2) or a number of cores. */
export const cpuQuantity = z.union(
  [z.string().regex(new RegExp(`^${positiveNumber}m?$`)), z.number().positive()],
  { error: "a positive CPU quantity such as 500m or 2" },
);

/** A positive metric target quantity as the HPA takes it (500m is 0.5). */
export const metricQuantity = z
  .string()
  .regex(new RegExp(`^${positiveNumber}(m|k|M|G)?$`), 'a positive quantity string such as "500m" (0.5) or "4"');

/** A DNS-1123 label: namespace, release and Secret names. */
export const dnsLabel = z
  .string()
  .max(63, "at most 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS label: lowercase letters, digits and '-', starting and ending alphanumeric");

/** An image repository without tag or digest. */
export const imageRepository = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)*$/, "an image repository such as ghcr.io/bijux/bijux-atlas (no tag, no digest)");

/** repository[:tag]@sha256:<64 hex>: an image pinned by digest. */
export const digestReference = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[a-f0-9]{64}$/,
    "an image reference pinned by digest: repository[:tag]@sha256:<64 hex>",
  );

/** An http(s) URL. */
export const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, "an http(s) URL such as https://catalog.example.org/v1");

/** A Helm chart version, pinned exactly (no ranges). */
export const chartVersion = z.string().regex(/^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/, "an exact chart version such as 2.37.7 (no ranges)");

/** An IPv4/IPv6 CIDR whose prefix is at least /1: 0.0.0.0/0 and ::/0 would be broad egress. */
export const narrowCidr = z.string().refine(
  (value) => {
    const [address, prefix, extra] = value.split("/");
    if (extra !== undefined || prefix === undefined || !/^[0-9]{1,3}$/.test(prefix)) return false;
    const family = isIP(address);
    const bits = Number(prefix);
    return (family === 4 && bits >= 1 && bits <= 32) || (family === 6 && bits >= 1 && bits <= 128);
  },
  { message: "an IPv4 or IPv6 CIDR with a prefix length of at least 1 (0.0.0.0/0 and ::/0 are refused)" },
);

const multipliers: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a Kubernetes quantity (bytes for storage, cores for CPU). */
export function quantityValue(quantity: string | number): number {
  if (typeof quantity === "number") return quantity;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(quantity);
  const multiplier = match ? multipliers[match[2]] : undefined;
  if (!match || multiplier === undefined) throw new Error(`not a Kubernetes quantity: ${quantity}`);
  return Number(match[1]) * multiplier;
}
