import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ImageConfig } from "../config/schema";
import { dockerfilePath, fromProject } from "./paths";

export interface AtlasImageArgs {
  /** Build from source, or a pinned reference. Already validated. */
  image: ImageConfig;
  /** Registry reachable from the cluster (the kind cluster's local registry); used when the build config names no repository. */
  registry?: pulumi.Input<string>;
  /** Tag of built images. Default "dev". */
  tag?: string;
}

/**
 * The server image, as a reference by digest: built from a bijux-atlas checkout with
 * docker/Dockerfile and pushed where the cluster pulls from, or a given pinned reference.
 */
export class AtlasImage extends pulumi.ComponentResource {
  /** repository@sha256:... of the image the chart deploys. */
  public readonly ref: pulumi.Output<string>;
  /** Whether this stack builds the image. */
  public readonly built: boolean;

  constructor(name: string, args: AtlasImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:AtlasImage", name, {}, opts);
    const image = args.image;
    if (image.source === "pinned") {
      this.built = false;
      this.ref = pulumi.output(image.ref);
    } else {
      const repository = image.repository ?? (args.registry ? pulumi.interpolate`${args.registry}/bijux-atlas` : undefined);
      if (!repository) throw new pulumi.RunError("atlas:image: source build needs image.repository or a cluster target with a registry (kind)");
      const built = new docker.Image(
        `${name}-build`,
        {
          imageName: pulumi.interpolate`${repository}:${args.tag ?? "dev"}`,
          build: {
            context: fromProject(image.context),
            dockerfile: dockerfilePath,
            platform: image.platform,
            args: image.buildArgs,
            cacheFrom: image.cacheFrom.length ? { images: image.cacheFrom } : undefined,
          },
        },
        { parent: this },
      );
      this.built = true;
      // repoDigest is repository@sha256:..., the reference the nodes resolve.
      this.ref = built.repoDigest;
    }
    this.registerOutputs({ ref: this.ref, built: this.built });
  }
}
