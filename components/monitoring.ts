import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonsConfig } from "../config/schema";
import { addonNamespace } from "./addonNamespace";
import { chartArgs, describeSource } from "./chartSource";

/** fullnameOverride of kube-prometheus-stack, so the Prometheus Service name is known. */
export const prometheusFullname = "atlas-kps";

export interface MonitoringArgs {
  /** install | external | preinstalled | disabled, namespace, chart source, external URL. Already validated. */
  config: AddonsConfig["monitoring"];
  /** Provider of the target cluster. */
  provider: k8s.Provider;
}

/**
 * Prometheus Operator CRDs and a Prometheus (kube-prometheus-stack, pinned), or an existing
 * Prometheus by URL. The atlas ServiceMonitor needs the CRDs; the metrics adapter needs the URL.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** Whether this stack installs kube-prometheus-stack. */
  public readonly installed: boolean;
  /** Whether the Prometheus Operator CRDs are available to the stack. */
  public readonly crdsAvailable: boolean;
  /** URL of the Prometheus the metrics adapter queries (undefined when unknown). */
  public readonly prometheusUrl?: string;
  /** Chart origin, for outputs. */
  public readonly source: string;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:Monitoring", name, {}, opts);
    const { mode, namespace } = args.config;
    this.installed = mode === "install";
    this.crdsAvailable = mode !== "disabled";
    this.source = describeSource(args.config.chart);
    this.prometheusUrl = mode === "install" ? `http://${prometheusFullname}-prometheus.${namespace}.svc:9090` : args.config.prometheusUrl;
    if (this.installed) {
      const ns = addonNamespace(name, namespace, this, args.provider);
      new k8s.helm.v4.Chart(
        `${name}-chart`,
        {
          ...chartArgs(args.config.chart),
          name: "kube-prometheus-stack",
          namespace: ns.metadata.name,
          values: {
            fullnameOverride: prometheusFullname,
            grafana: { enabled: false },
            alertmanager: { enabled: false },
            // Select ServiceMonitors from every namespace, not only those labelled for this release.
            prometheus: { prometheusSpec: { serviceMonitorSelectorNilUsesHelmValues: false, podMonitorSelectorNilUsesHelmValues: false } },
          },
        },
        { parent: this, provider: args.provider, dependsOn: [ns] },
      );
    }
    this.registerOutputs({ installed: this.installed, prometheusUrl: this.prometheusUrl, source: this.source });
  }
}
