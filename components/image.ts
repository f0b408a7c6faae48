import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ImageConfig } from "../config/schema";
import type { ClusterRegistry } from "./cluster/atlasCluster";
import * as path from "path";
import { serverVersion } from "../contract/server";
import { dockerfilePath } from "../lib/paths";

export interface AtlasImageArgs {
  /** build (docker/Dockerfile from the pinned crates) or pinned (a given digest reference), validated. Required. */
  image: ImageConfig;
  /** Registry the cluster pulls from, where a build without image.repository is pushed (the kind registry), and what must exist before a push. Default: none. */
  registry?: ClusterRegistry;
}

/**
 * The server image as a reference by digest. `build` runs docker/Dockerfile, which installs the
 * pinned crates, and pushes the result where the cluster pulls from, so the registry's digest is
 * what gets deployed; `pinned` declares nothing and passes the given reference through.
 */
export class AtlasImage extends pulumi.ComponentResource {
  /** repository[:tag]@sha256:<digest> of the image the chart deploys. */
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
      const repository = image.repository ?? (args.registry && `${args.registry.host}/bijux-atlas`);
      if (!repository) {
        throw new pulumi.RunError(`${name}: a built image needs atlas:image.repository (only the kind target provides a registry)`);
      }
      const build = new docker.Image(
        `${name}-build`,
        {
          imageName: `${repository}:${image.tag}`,
          build: {
            context: path.dirname(dockerfilePath),
            dockerfile: dockerfilePath,
            platform: image.platform,
            args: { ...image.buildArgs, ATLAS_VERSION: serverVersion },
            cacheFrom: image.cacheFrom.length > 0 ? { images: image.cacheFrom } : undefined,
          },
        },
        { parent: this, dependsOn: image.repository === undefined ? (args.registry?.ready ?? []) : [] },
      );
      this.built = true;
      // repoDigest (repository@sha256:...) is the pushed manifest: what nodes resolve, unlike the local image ID.
      this.ref = build.repoDigest;
    }
    this.registerOutputs({ ref: this.ref, built: this.built });
  }
}
