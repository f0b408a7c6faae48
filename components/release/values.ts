/**
 * The values handed to charts/bijux-atlas: the stack's chart sections as they are (the stack
 * config and the chart share names and schemas), plus the deployed image and the bearer token as
 * Pulumi Inputs (a built image's digest is known only after the build; the token is secret).
 */
import type * as pulumi from "@pulumi/pulumi";
import { patterns } from "../../contract/grammar";
import { parseImageReference } from "../../contract/image";
import type { StackConfig } from "../../config/schema";
import { stackChartValues } from "../../config/stackValues";

/** An image reference split the way the chart takes it. */
export interface ImageParts {
  repository: string;
  tag: string;
  digest: string;
}

/** Splits repository[:tag]@sha256:<hex>; throws on anything not pinned by digest. */
export function splitImageRef(ref: string): ImageParts {
  if (!new RegExp(patterns.digestReference).test(ref)) throw new Error(`image reference ${JSON.stringify(ref)} is not pinned by digest (repository[:tag]@sha256:<64 hex>)`);
  const { repository, tag = "", digest = "" } = parseImageReference(ref);
  return { repository, tag, digest };
}

/** Inputs of {@link atlasChartValues} that are not plain config. */
export interface ValueInputs {
  /** The image, split; Inputs because a built image's digest is known only after the build. */
  image: { repository: pulumi.Input<string>; tag: pulumi.Input<string>; digest: pulumi.Input<string> };
  /** The store's bearer token as a secret Output, when the chart creates the Secret. */
  bearerToken?: pulumi.Input<string>;
}

export function atlasChartValues(c: StackConfig, inputs: ValueInputs): Record<string, unknown> {
  return stackChartValues<pulumi.Input<string>>(c, inputs);
}
