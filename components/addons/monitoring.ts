import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonMode, StackConfig } from "../../config/schema";
import { addonNamespace } from "./namespace";
import { chartArgs, describeSource } from "./chartSource";
import { mergeValues } from "./mergeValues";

/** fullnameOverride of kube-prometheus-stack, which fixes the Prometheus Service name. */
export const prometheusFullname = "kps";

export interface MonitoringArgs {
  /** Mode (install or preinstalled), namespace, Prometheus URL, chart source and extra values, validated. Required. */
  config: StackConfig["monitoring"];
  /** Provider of the target cluster. Required. */
  provider: k8s.Provider;
}

/**
 * The Prometheus Operator CRDs and a Prometheus that scrapes every ServiceMonitor, from
 * kube-prometheus-stack (pinned); or, when preinstalled, the platform's Prometheus by URL.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** install or preinstalled. */
  public readonly mode: AddonMode;
  /** Namespace of Prometheus (atlas pods accept scrapes from it). */
  public readonly namespace: string;
  /** URL of the Prometheus the metrics adapter queries; undefined for a preinstalled one given no URL. */
  public readonly prometheusUrl?: string;
  /** Where the chart comes (or, when preinstalled, would come) from. */
  public readonly chartSource: string;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:Monitoring", name, {}, opts);
    const { mode, namespace, chart, values } = args.config;
    this.mode = mode;
    this.namespace = namespace;
    this.chartSource = describeSource(chart);
    this.prometheusUrl = mode === "install" ? `http://${prometheusFullname}-prometheus.${namespace}.svc:9090` : args.config.prometheusUrl;
    if (mode === "install") {
      const ns = addonNamespace(name, namespace, this, args.provider);
      const base = {
        fullnameOverride: prometheusFullname,
        grafana: { enabled: false },
        alertmanager: { enabled: false },
        // node-exporter needs host namespaces, which the namespace's Pod Security level refuses.
        nodeExporter: { enabled: false },
        // Its TLS certificates come from Helm hook Jobs, which a helm v4 Chart does not run.
        prometheusOperator: { admissionWebhooks: { enabled: false }, tls: { enabled: false } },
        // Select ServiceMonitors in every namespace, not only those labelled for this release.
        prometheus: {
          prometheusSpec: {
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
          },
        },
      };
      new k8s.helm.v4.Chart(
        `${name}-chart`,
        { ...chartArgs(chart), name: "kube-prometheus-stack", namespace: ns.metadata.name, values: mergeValues(base, values) },
        { parent: this, provider: args.provider, dependsOn: [ns] },
      );
    }
    this.registerOutputs({ mode: this.mode, namespace: this.namespace, prometheusUrl: this.prometheusUrl, chartSource: this.chartSource });
  }
}
