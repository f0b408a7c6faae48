import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StoreCredentials } from "../../config/load";
import type { StackConfig } from "../../config/schema";
import { atlasChartDir } from "../../lib/paths";
import { atlasName, atlasNamespaceLabels, partOfLabel } from "../../contract/labels";
import { atlasChartValues, splitImageRef } from "./values";

export interface AtlasReleaseArgs {
  /** The validated stack config the chart values are computed from. Required. */
  config: StackConfig;
  /** The server image pinned by digest: repository[:tag]@sha256:<hex>. Required. */
  imageRef: pulumi.Input<string>;
  /** The store's bearer token as a secret Output; the chart then creates the Secret from it. Default: none (existingSecret or no credentials). */
  credentials?: StoreCredentials;
  /** Keep all chart values secret, because a key they derive from was set as a secret. Default false. */
  secretValues?: boolean;
  /** Provider of the target cluster. Required. */
  provider: k8s.Provider;
  /** What the chart's objects need first: add-ons whose CRDs and APIs they use, SSD volumes. Default: none. */
  requires?: pulumi.Resource[];
}

/**
 * The atlas deployment: its namespace (Pod Security "restricted") and charts/bijux-atlas as a
 * helm v4 Chart, so every rendered object is a Pulumi resource that previews diff and policies
 * see. The values come from the stack config; credentials stay secret Outputs.
 */
export class AtlasRelease extends pulumi.ComponentResource {
  /** The release namespace. */
  public readonly namespace: pulumi.Output<string>;
  /** The Service (and workload) name: the release name, which the stack hands the chart as its fullname. */
  public readonly serviceName: string;
  /** The in-cluster URL of the Service. */
  public readonly url: string;
  /** The chart component; its children are the atlas objects. */
  public readonly chart: k8s.helm.v4.Chart;

  constructor(name: string, args: AtlasReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:AtlasRelease", name, {}, opts);
    const { config } = args;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: config.release.namespace, labels: { [partOfLabel]: atlasName, ...atlasNamespaceLabels } } },
      { parent: this, provider: args.provider },
    );

    const image = pulumi.output(args.imageRef).apply(splitImageRef);
    const values = atlasChartValues(config, {
      image: { repository: image.repository, tag: image.tag, digest: image.digest },
      bearerToken: args.credentials?.bearerToken,
    });

    this.chart = new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        chart: atlasChartDir,
        name: config.release.name,
        namespace: namespace.metadata.name,
        values: args.secretValues ? pulumi.secret(values) : values,
      },
      { parent: this, provider: args.provider, dependsOn: [namespace, ...(args.requires ?? [])] },
    );

    this.namespace = namespace.metadata.name;
    this.serviceName = config.release.name;
    this.url = `http://${this.serviceName}.${config.release.namespace}.svc:${config.server.port}`;
    this.registerOutputs({ namespace: this.namespace, serviceName: this.serviceName, url: this.url });
  }
}
