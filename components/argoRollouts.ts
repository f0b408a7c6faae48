import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonsConfig } from "../config/schema";
import { addonNamespace } from "./addonNamespace";
import { chartArgs, describeSource } from "./chartSource";

export interface ArgoRolloutsArgs {
  /** install | preinstalled | disabled, namespace and chart source. Already validated. */
  config: AddonsConfig["argoRollouts"];
  /** Provider of the target cluster. */
  provider: k8s.Provider;
}

/**
 * Argo Rollouts controller and CRDs from the argo-rollouts chart (pinned; repository, OCI mirror
 * or local path). Declares nothing when the platform preinstalled it or it is disabled.
 */
export class ArgoRollouts extends pulumi.ComponentResource {
  /** Whether this stack installs it. */
  public readonly installed: boolean;
  /** Whether Rollout CRDs are available to the stack (installed here or preinstalled). */
  public readonly available: boolean;
  /** Chart origin, for outputs. */
  public readonly source: string;

  constructor(name: string, args: ArgoRolloutsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:ArgoRollouts", name, {}, opts);
    this.installed = args.config.mode === "install";
    this.available = args.config.mode !== "disabled";
    this.source = describeSource(args.config.chart);
    if (this.installed) {
      const ns = addonNamespace(name, args.config.namespace, this, args.provider);
      new k8s.helm.v4.Chart(
        `${name}-chart`,
        {
          ...chartArgs(args.config.chart),
          name: "argo-rollouts",
          namespace: ns.metadata.name,
          values: { installCRDs: true, keepCRDs: false, dashboard: { enabled: false }, notifications: { secret: { create: false } } },
        },
        { parent: this, provider: args.provider, dependsOn: [ns] },
      );
    }
    this.registerOutputs({ installed: this.installed, available: this.available, source: this.source });
  }
}
