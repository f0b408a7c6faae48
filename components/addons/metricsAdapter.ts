import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonMode, StackConfig } from "../../config/schema";
import { chartArgs, describeSource } from "./chartSource";
import { mergeValues } from "./mergeValues";
import { hpaPodMetrics } from "../../contract/metrics";
import { atlasAdapterRules } from "./metricsAdapterRules";

export interface MetricsAdapterArgs {
  /** Mode (install or preinstalled), chart source and extra values, validated. Required. */
  config: StackConfig["metricsAdapter"];
  /** Namespace it runs in: Prometheus's (the Monitoring component creates it, or the platform did). Required. */
  namespace: string;
  /** Prometheus the adapter queries. Required when installing. */
  prometheusUrl?: string;
  /** Provider of the target cluster. Required. */
  provider: k8s.Provider;
  /** What the adapter's objects need first: the Monitoring component that creates the namespace and Prometheus. Default: none. */
  requires?: pulumi.Resource[];
}

/**
 * prometheus-adapter (pinned), serving the atlas Pods metrics the HPA scales on
 * (contract/metrics.ts {@link hpaPodMetrics}) on custom.metrics.k8s.io. When preinstalled, the
 * platform's adapter is assumed to serve them.
 */
export class MetricsAdapter extends pulumi.ComponentResource {
  /** install or preinstalled. */
  public readonly mode: AddonMode;
  /** Where the chart comes (or, when preinstalled, would come) from. */
  public readonly chartSource: string;
  /** The Pods metrics served. */
  public readonly metrics: readonly string[] = hpaPodMetrics;

  constructor(name: string, args: MetricsAdapterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:MetricsAdapter", name, {}, opts);
    const { mode, chart, values } = args.config;
    this.mode = mode;
    this.chartSource = describeSource(chart);
    if (mode === "install") {
      if (args.prometheusUrl === undefined) throw new pulumi.RunError(`${name}: installing prometheus-adapter needs the URL of a Prometheus`);
      const url = new URL(args.prometheusUrl);
      const base = {
        prometheus: {
          url: `${url.protocol}//${url.hostname}`,
          port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
          path: url.pathname === "/" ? "" : url.pathname,
        },
        // Only the atlas rules: the default rule set would publish every series as a metric.
        rules: { default: false, custom: atlasAdapterRules() },
      };
      new k8s.helm.v4.Chart(
        `${name}-chart`,
        { ...chartArgs(chart), name: "prometheus-adapter", namespace: args.namespace, values: mergeValues(base, values) },
        { parent: this, provider: args.provider, dependsOn: args.requires ?? [] },
      );
    }
    this.registerOutputs({ mode: this.mode, chartSource: this.chartSource, metrics: this.metrics });
  }
}
