import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonsConfig } from "../config/schema";
import { addonNamespace } from "./addonNamespace";
import { chartArgs, describeSource } from "./chartSource";
import { atlasAdapterRules } from "./metricsAdapterRules";

export interface MetricsAdapterArgs {
  /** install | preinstalled | disabled, namespace and chart source. Already validated. */
  config: AddonsConfig["metricsAdapter"];
  /** Prometheus the adapter queries (from Monitoring). Required when installing. */
  prometheusUrl?: string;
  /** Create the namespace (false when Monitoring already created the same one). Default true. */
  createNamespace?: boolean;
  /** Provider of the target cluster. */
  provider: k8s.Provider;
}

/** prometheus-adapter (pinned) serving the atlas Pods metrics on custom.metrics.k8s.io. */
export class MetricsAdapter extends pulumi.ComponentResource {
  /** Whether this stack installs it. */
  public readonly installed: boolean;
  /** Chart origin, for outputs. */
  public readonly source: string;

  constructor(name: string, args: MetricsAdapterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:MetricsAdapter", name, {}, opts);
    this.installed = args.config.mode === "install";
    this.source = describeSource(args.config.chart);
    if (this.installed) {
      if (!args.prometheusUrl) throw new pulumi.RunError("MetricsAdapter: installing prometheus-adapter needs a Prometheus URL");
      const url = new URL(args.prometheusUrl);
      const ns = args.createNamespace === false ? undefined : addonNamespace(name, args.config.namespace, this, args.provider);
      new k8s.helm.v4.Chart(
        `${name}-chart`,
        {
          ...chartArgs(args.config.chart),
          name: "prometheus-adapter",
          namespace: args.config.namespace,
          values: {
            prometheus: { url: `${url.protocol}//${url.hostname}`, port: Number(url.port || (url.protocol === "https:" ? 443 : 80)) },
            rules: { default: false, custom: atlasAdapterRules() },
          },
        },
        { parent: this, provider: args.provider, dependsOn: ns ? [ns] : [] },
      );
    }
    this.registerOutputs({ installed: this.installed, source: this.source });
  }
}
