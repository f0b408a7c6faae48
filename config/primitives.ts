/**
 * Value types of the stack config and the chart values, built from the contract's grammars
 * (contract/grammar.ts): the same patterns end up in zod here and in the chart's generated
 * values.schema.json, so a value one accepts the other accepts.
 */
import { z } from "zod";
import { familyBits, parseCidr, type Family } from "../contract/addresses";
import { datasetIdExample, describeRefusedTags, isDatasetId, patterns, refusedImageTags } from "../contract/grammar";
import { isRefusedTag, parseImageReference } from "../contract/image";
import { broadEgress } from "../contract/network";

const re = (source: string) => new RegExp(source);

/** A positive storage quantity (512Mi, 8Gi, 1G, a byte count). */
export const storageQuantity = z.string().regex(re(patterns.storageQuantity), "a positive storage quantity such as 512Mi or 8Gi");

/** A positive CPU quantity: a string (500m, 2) or a number of cores. */
export const cpuQuantity = z.union([z.string().regex(re(patterns.cpuQuantity)), z.number().positive()], { error: "a positive CPU quantity such as 500m or 2" });

/** A positive metric target quantity as the HPA takes it (500m is 0.5). */
export const metricQuantity = z.string().regex(re(patterns.metricQuantity), 'a positive quantity string such as "500m" (0.5) or "4"');

/** A DNS-1123 label: namespace, release, Secret and claim names. */
export const dnsLabel = z
  .string()
  .max(63, "at most 63 characters")
  .regex(re(patterns.dnsLabel), "a DNS label: lowercase letters, digits and '-', starting and ending alphanumeric");

/** A DNS label, or "" for none. */
export const optionalDnsLabel = z.union([z.literal(""), dnsLabel], { error: 'a DNS label (lowercase letters, digits, "-"), or "" for none' });

/** A label key such as bijux.io/local-ssd. */
export const labelKey = z.string().regex(re(patterns.labelKey), "a label key such as bijux.io/local-ssd");

/** An image repository without tag or digest. */
export const imageRepository = z.string().regex(re(patterns.imageRepository), "an image repository such as ghcr.io/bijux/bijux-atlas (no tag, no digest)");

/** An image tag other than the refused moving tags (contract/grammar.ts `refusedImageTags`). */
export const imageTag = z
  .string()
  .regex(re(patterns.imageTag), "a Docker tag")
  .refine((t) => !isRefusedTag(t), `a tag other than ${describeRefusedTags()}`)
  .meta({ not: { enum: [...refusedImageTags] } });

/** repository[:tag]@sha256:<64 hex>: an image pinned by digest, under a tag that is not a moving one. */
export const digestReference = z
  .string()
  .regex(re(patterns.digestReference), "an image reference pinned by digest: repository[:tag]@sha256:<64 hex>")
  .refine((ref) => !isRefusedTag(parseImageReference(ref).tag), `an image reference whose tag is not ${describeRefusedTags()}`);

/** An http(s) URL. */
export const httpUrl = z.string().regex(re(patterns.httpUrl), "an http(s) URL such as https://store.example.org/atlas/");


/** The store's base URL, or "" for none: no userinfo, query or fragment (the token goes in store.credentials). */
export const optionalStoreUrl = z.union([z.literal(""), z.string().regex(re(patterns.storeBaseUrl))], {
  error: 'an http(s) base URL without credentials, query or fragment, such as https://store.example.org/atlas/ (the token goes in store.credentials.bearerToken), or "" for none',
});

/** A Helm chart version, pinned exactly (no ranges). */
export const chartVersion = z.string().regex(re(patterns.chartVersion), "an exact chart version such as 2.37.7 (no ranges)");

/** A Prometheus duration. */
export const promDuration = z.string().regex(re(patterns.promDuration), "a duration such as 30s or 1m");

/** An integer >= 0 or a percentage such as "50%". */
export const intOrPercent = z.union([z.number().int().min(0), z.string().regex(re(patterns.percentage))], { error: 'an integer >= 0 or a percentage such as "50%"' });

const cidrPrefixes = (Object.keys(broadEgress) as Family[]).map((f) => `${broadEgress[f].family} /${broadEgress[f].widestPrefix} to /${familyBits[f]}`).join(", ");

/** An IPv4/IPv6 CIDR no wider than the contract's broad-egress threshold, read as the policy pack reads ipBlocks. */
export const narrowCidr = z
  .string()
  .regex(re(patterns.narrowCidr), `an IPv4 or IPv6 CIDR with a prefix of ${cidrPrefixes} (the contract's broad-egress limit: a wider CIDR is not an allowlist)`)
  .refine((value) => parseCidr(value) !== undefined, "an IPv4 or IPv6 CIDR whose address is a valid IP address")
  .describe(`An IPv4 or IPv6 CIDR with a prefix of ${cidrPrefixes}.`);

/** A dataset id as the server takes it: release/species/assembly. */
export const datasetId = z
  .string()
  .regex(re(patterns.datasetId), `a dataset id release/species/assembly such as ${datasetIdExample} (release: digits; species: lowercase snake_case; assembly: letters, digits, '.', '_')`)
  .refine(isDatasetId, `a dataset id whose release has at most 16 digits and whose species and assembly have at most 64 characters`);

/** A list without duplicates. */
export function uniqueList<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).refine((list) => new Set(list.map((v) => JSON.stringify(v))).size === list.length, `a list of ${what} without duplicates`);
}

/** A strict object whose unknown-key error names the keys it does know. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `no such key here; the known keys are: ${Object.keys(shape).join(", ")}` : undefined),
  });
}
