import type { ClusterConfig } from "../config/schema";

/** Node names kind gives the workers of cluster `name`: name-worker, name-worker2, ... */
export function kindWorkerNames(name: string, workers: number): string[] {
  return Array.from({ length: workers }, (_, i) => `${name}-worker${i === 0 ? "" : i + 1}`);
}

/** Name of the local registry container the kind nodes pull built images from. */
export function kindRegistryName(name: string): string {
  return `${name}-registry`;
}

/**
 * The kind cluster config: a control plane plus workers; with node-local SSD, each worker mounts
 * its own host directory at the SSD path; containerd resolves localhost:<port> to the local registry.
 */
export function kindClusterConfig(kind: ClusterConfig["kind"], nodeLocalSsd: boolean): Record<string, unknown> {
  const registry = kindRegistryName(kind.name);
  return {
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    name: kind.name,
    nodes: [
      { role: "control-plane", image: kind.nodeImage },
      ...kindWorkerNames(kind.name, kind.workers).map((worker) => ({
        role: "worker",
        image: kind.nodeImage,
        labels: nodeLocalSsd ? { "bijux.io/local-ssd": "true" } : undefined,
        extraMounts: nodeLocalSsd ? [{ hostPath: `${kind.ssdHostPath}/${worker}`, containerPath: "/mnt/atlas-ssd" }] : undefined,
      })),
    ],
    containerdConfigPatches: [
      `[plugins."io.containerd.grpc.v1.cri".registry.mirrors."localhost:${kind.registryPort}"]\n  endpoint = ["http://${registry}:5000"]`,
    ],
  };
}
