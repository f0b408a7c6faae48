/**
 * bijux-atlas on Kubernetes: reads and validates the `atlas:` stack config, then wires the
 * components. All decisions live in config/ and components/.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config/load";
import { ArgoRollouts } from "./components/argoRollouts";
import { AtlasCluster } from "./components/atlasCluster";
import { AtlasImage } from "./components/atlasImage";
import { AtlasRelease } from "./components/atlasRelease";
import { MetricsAdapter } from "./components/metricsAdapter";
import { Monitoring } from "./components/monitoring";

const { config, storeCredentials } = loadStackConfig();

const cluster = new AtlasCluster("atlas", {
  cluster: config.cluster,
  stack: pulumi.getStack(),
  nodeLocalSsd: config.profile === "node-local-ssd",
});
const provider = cluster.provider;

const image = new AtlasImage("atlas", { image: config.image, registry: cluster.registry }, { dependsOn: cluster.ready });

const argoRollouts = new ArgoRollouts("argo-rollouts", { config: config.addons.argoRollouts, provider }, { dependsOn: cluster.ready });
const monitoring = new Monitoring("monitoring", { config: config.addons.monitoring, provider }, { dependsOn: cluster.ready });
const metricsAdapter = new MetricsAdapter(
  "metrics-adapter",
  {
    config: config.addons.metricsAdapter,
    prometheusUrl: monitoring.prometheusUrl,
    createNamespace: !(monitoring.installed && config.addons.monitoring.namespace === config.addons.metricsAdapter.namespace),
    provider,
  },
  { dependsOn: [...cluster.ready, monitoring] },
);

const release = new AtlasRelease(
  "atlas",
  { config, imageRef: image.ref, storeCredentials, provider },
  { dependsOn: [...cluster.ready, argoRollouts, monitoring, metricsAdapter] },
);

export const namespace = release.namespace;
export const serviceName = release.serviceName;
export const url = release.url;
export const imageRef = image.ref;
export const clusterTarget = cluster.target;
export const renderedDirectory = cluster.renderDirectory;
export const addons = {
  argoRollouts: { mode: config.addons.argoRollouts.mode, installed: argoRollouts.installed, source: argoRollouts.source },
  monitoring: { mode: config.addons.monitoring.mode, installed: monitoring.installed, source: monitoring.source, prometheusUrl: monitoring.prometheusUrl },
  metricsAdapter: { mode: config.addons.metricsAdapter.mode, installed: metricsAdapter.installed, source: metricsAdapter.source },
};
