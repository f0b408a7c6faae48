import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonMode, StackConfig } from "../../config/schema";
import { addonNamespace } from "./namespace";
import { chartArgs, describeSource } from "./chartSource";
import { mergeValues } from "./mergeValues";

export interface ArgoRolloutsArgs {
  /** Mode (install or preinstalled), namespace, chart source and extra values, validated. Required. */
  config: StackConfig["argoRollouts"];
  /** Provider of the target cluster. Required. */
  provider: k8s.Provider;
}

/**
 * Argo Rollouts: the controller and its CRDs from the argo-rollouts chart (pinned; from the
 * upstream repository, an OCI mirror or a local path). When the platform preinstalled it, the
 * component only records that, and the Rollout CRD is assumed present.
 */
export class ArgoRollouts extends pulumi.ComponentResource {
  /** install or preinstalled. */
  public readonly mode: AddonMode;
  /** Namespace of the controller. */
  public readonly namespace: string;
  /** Where the chart comes (or, when preinstalled, would come) from. */
  public readonly chartSource: string;

  constructor(name: string, args: ArgoRolloutsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:ArgoRollouts", name, {}, opts);
    const { mode, namespace, chart, values } = args.config;
    this.mode = mode;
    this.namespace = namespace;
    this.chartSource = describeSource(chart);
    if (mode === "install") {
      const ns = addonNamespace(name, namespace, this, args.provider);
      new k8s.helm.v4.Chart(
        `${name}-chart`,
        {
          ...chartArgs(chart),
          name: "argo-rollouts",
          namespace: ns.metadata.name,
          values: mergeValues({ installCRDs: true, dashboard: { enabled: false } }, values),
        },
        { parent: this, provider: args.provider, dependsOn: [ns] },
      );
    }
    this.registerOutputs({ mode: this.mode, namespace: this.namespace, chartSource: this.chartSource });
  }
}
