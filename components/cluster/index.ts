/** The cluster the release lands on: its provider, registry and readiness (AtlasCluster), and the local control plane it may start. */
export { AtlasCluster, type AtlasClusterArgs, type ClusterRegistry } from "./atlasCluster";
export { LocalControlPlane, type LocalControlPlaneArgs } from "./localControlPlane";
