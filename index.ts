// The bijux-atlas stack: reads and validates the `atlas:` config, then wires the components.
import { AtlasCluster } from "./components/cluster";
import { AtlasImage } from "./components/image";
import { AtlasRelease } from "./components/release";
import { declareAddons } from "./components/addons";
import { loadStackConfig } from "./config/load";

const { config, credentials, secretKeys } = loadStackConfig();

const cluster = new AtlasCluster("cluster", { cluster: config.cluster, nodeLocalSsdProfile: config.nodeLocalSsdProfile });
const image = new AtlasImage("image", { image: config.image, registry: cluster.registry });
const addons = declareAddons(config, cluster.provider);
const release = new AtlasRelease("atlas", {
  config,
  imageRef: image.ref,
  credentials,
  secretValues: secretKeys.length > 0,
  provider: cluster.provider,
  requires: [...cluster.ready, ...addons.all],
});

/** Namespace of the release. */
export const namespace = release.namespace;
/** Service in front of the atlas pods. */
export const serviceName = release.serviceName;
/** URL of the Service from inside the cluster. */
export const inClusterUrl = release.url;
/** The deployed image, pinned by digest. */
export const imageRef = image.ref;
/** Where the cluster is: render, kubeconfig or kind. */
export const clusterTarget = cluster.target;
/** Directory holding the rendered manifests (render target only; Secrets in it are plain text). */
export const renderedDirectory = cluster.renderDirectory ?? null;
/** Each platform add-on's mode (install, preinstalled, disabled) and chart origin. */
export const addonModes = addons.summary;
