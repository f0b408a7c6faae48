import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import type { StackConfig } from "../config/schema";
import { atlasChartValues, profileValuesFiles } from "./chartValues";
import { atlasChartDir } from "./paths";

export interface AtlasReleaseArgs {
  /** The validated stack config (profile, server, cache, egress, rollout, ...). */
  config: StackConfig;
  /** Image reference by digest (from AtlasImage). */
  imageRef: pulumi.Input<string>;
  /** Store credentials as secrets; rendered into the chart's Secret. Default none. */
  storeCredentials?: { accessKey: pulumi.Input<string>; secretKey: pulumi.Input<string> };
  /** Provider of the target cluster. */
  provider: k8s.Provider;
}

/**
 * The atlas Helm chart as a `kubernetes.helm.sh/v4.Chart` (every rendered object is its own
 * resource: per-object diffs in previews, and CrossGuard sees each one), in a namespace whose
 * Pod Security admission enforces "restricted".
 */
export class AtlasRelease extends pulumi.ComponentResource {
  /** Namespace of the release. */
  public readonly namespace: pulumi.Output<string>;
  /** Name of the server Service. */
  public readonly serviceName: string;
  /** In-cluster URL of the server. */
  public readonly url: pulumi.Output<string>;
  /** The values handed to the chart (secret when they carry store credentials). */
  public readonly chartValues: pulumi.Output<Record<string, any>>;

  constructor(name: string, args: AtlasReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:AtlasRelease", name, {}, opts);
    const { config } = args;

    const ns = new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: {
          name: config.namespace,
          labels: {
            "app.kubernetes.io/part-of": "bijux-atlas",
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
          },
        },
      },
      { parent: this, provider: args.provider },
    );

    const creds = args.storeCredentials;
    const values = pulumi
      .all([args.imageRef, creds?.accessKey, creds?.secretKey])
      .apply(([ref, accessKey, secretKey]) =>
        atlasChartValues(config, ref, accessKey !== undefined && secretKey !== undefined ? { accessKey, secretKey } : undefined),
      );
    // Already secret when the credentials are (secretness propagates through all/apply); made explicit
    // so the values stay secret even if the credentials arrive as plain Inputs.
    this.chartValues = creds ? values.apply((v) => pulumi.secret(v)).apply((v) => v as Record<string, any>) : values;

    new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        chart: atlasChartDir,
        name: config.releaseName,
        namespace: ns.metadata.name,
        valueYamlFiles: profileValuesFiles[config.profile].map((f) => new pulumi.asset.FileAsset(path.join(atlasChartDir, f))),
        values: this.chartValues,
      },
      { parent: this, provider: args.provider, dependsOn: [ns] },
    );

    // Same naming rule as the chart's fullname helper.
    const fullname = config.releaseName.includes("bijux-atlas") ? config.releaseName : `${config.releaseName}-bijux-atlas`;
    this.serviceName = fullname;
    this.namespace = ns.metadata.name;
    this.url = pulumi.interpolate`http://${fullname}.${ns.metadata.name}.svc:8080`;
    this.registerOutputs({ namespace: this.namespace, serviceName: this.serviceName, url: this.url });
  }
}
