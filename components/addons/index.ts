import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AddonMode, StackConfig } from "../../config/schema";
import { ArgoRollouts } from "./argoRollouts";
import { MetricsAdapter } from "./metricsAdapter";
import { Monitoring } from "./monitoring";

/** The platform add-ons a stack declares; a disabled add-on is absent. */
export interface Addons {
  monitoring?: Monitoring;
  metricsAdapter?: MetricsAdapter;
  argoRollouts?: ArgoRollouts;
  /** Every declared add-on: what the atlas chart must come after (their CRDs and APIs). */
  all: pulumi.Resource[];
  /** Mode and chart origin per add-on, as reported in stack outputs. */
  summary: Record<"monitoring" | "metricsAdapter" | "argoRollouts", { mode: AddonMode; chart: string }>;
}

/**
 * Declares the add-ons the config enables, in dependency order: Prometheus (with the operator
 * CRDs) before the adapter that queries it.
 */
export function declareAddons(config: StackConfig, provider: k8s.Provider): Addons {
  const monitoring = config.monitoring.mode === "disabled" ? undefined : new Monitoring("monitoring", { config: config.monitoring, provider });
  const metricsAdapter =
    config.metricsAdapter.mode === "disabled"
      ? undefined
      : new MetricsAdapter(
          "metrics-adapter",
          {
            config: config.metricsAdapter,
            namespace: config.monitoring.namespace,
            prometheusUrl: monitoring?.prometheusUrl,
            provider,
            requires: monitoring ? [monitoring] : [],
          },
        );
  const argoRollouts = config.argoRollouts.mode === "disabled" ? undefined : new ArgoRollouts("argo-rollouts", { config: config.argoRollouts, provider });
  const entry = (mode: AddonMode, component?: { chartSource: string }) => ({ mode, chart: component?.chartSource ?? "" });
  return {
    monitoring,
    metricsAdapter,
    argoRollouts,
    all: [monitoring, metricsAdapter, argoRollouts].filter((c): c is NonNullable<typeof c> => c !== undefined),
    summary: {
      monitoring: entry(config.monitoring.mode, monitoring),
      metricsAdapter: entry(config.metricsAdapter.mode, metricsAdapter),
      argoRollouts: entry(config.argoRollouts.mode, argoRollouts),
    },
  };
}
