/**
 * What a Kind cluster of this project looks like: the kind config, the node names kind will
 * give, the local registry the nodes trust, and the node-local SSD layout. Pure functions, so
 * the generated files are tested without Docker.
 */
import { stringify } from "yaml";
import type { KindClusterConfig } from "../../config/schema";
import type { LocalVolume } from "./localVolumes";

/** Where each worker mounts its host SSD directory. */
export const kindSsdMountPath = "/mnt/atlas-ssd";

/** The node-local SSD settings kind needs; absent when the profile is off. */
export interface KindSsd {
  /** Label (value "true") put on the workers that carry the SSD mount. */
  nodeLabel: string;
  /** Nominal capacity of each generated local PersistentVolume. */
  capacity: string;
}

/** Worker node names kind assigns: <name>-worker, <name>-worker2, ... */
export function kindWorkerNames(cluster: KindClusterConfig): string[] {
  return Array.from({ length: cluster.workers }, (_, i) => `${cluster.name}-worker${i === 0 ? "" : i + 1}`);
}

/** Name of the registry container the nodes pull built images from. */
export function kindRegistryName(cluster: KindClusterConfig): string {
  return `${cluster.name}-registry`;
}

/** The registry as the host pushes to it and as pods reference images. */
export function kindRegistryHost(cluster: KindClusterConfig): string {
  return `localhost:${cluster.registryPort}`;
}

/**
 * The kind cluster config. containerd reads per-registry hosts.toml files from certs.d, which the
 * create script fills so localhost:<port> resolves to the registry container on the kind network.
 */
export function kindClusterConfig(cluster: KindClusterConfig, ssd?: KindSsd): Record<string, unknown> {
  return {
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    name: cluster.name,
    containerdConfigPatches: [`[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"`],
    nodes: [
      { role: "control-plane", image: cluster.nodeImage },
      ...kindWorkerNames(cluster).map((worker) => ({
        role: "worker",
        image: cluster.nodeImage,
        ...(ssd
          ? {
              labels: { [ssd.nodeLabel]: "true" },
              extraMounts: [{ hostPath: `${cluster.ssdHostPath}/${worker}`, containerPath: kindSsdMountPath }],
            }
          : {}),
      })),
    ],
  };
}

/** The kind config as the YAML `kind create cluster --config=-` reads on stdin. */
export function kindClusterConfigYaml(cluster: KindClusterConfig, ssd?: KindSsd): string {
  return stringify(kindClusterConfig(cluster, ssd));
}

/** The local PersistentVolumes of the SSD profile: ssdVolumesPerNode directories on each worker. */
export function kindSsdVolumes(cluster: KindClusterConfig, ssd: KindSsd): LocalVolume[] {
  return kindWorkerNames(cluster).flatMap((node) =>
    Array.from({ length: cluster.ssdVolumesPerNode }, (_, i) => ({ node, path: `${kindSsdMountPath}/vol${i}`, capacity: ssd.capacity })),
  );
}

/**
 * Shell run on create (and on update, so it is idempotent): creates the cluster unless it
 * exists, points every node's containerd at the registry container, prepares the SSD volume
 * directories, and prints the kubeconfig (the only stdout).
 */
export function kindCreateScript(cluster: KindClusterConfig, ssd?: KindSsd): string {
  const certsDir = `/etc/containerd/certs.d/${kindRegistryHost(cluster)}`;
  const lines = [
    "set -eu",
    `if ! kind get clusters | grep -qx '${cluster.name}'; then`,
    `  kind create cluster --name '${cluster.name}' --config=- --wait 180s >&2`,
    "fi",
    `for node in $(kind get nodes --name '${cluster.name}'); do`,
    `  docker exec "$node" mkdir -p '${certsDir}'`,
    `  printf '[host."http://${kindRegistryName(cluster)}:5000"]\\n' | docker exec -i "$node" cp /dev/stdin '${certsDir}/hosts.toml'`,
    "done",
  ];
  if (ssd) {
    const byNode = new Map<string, string[]>();
    for (const v of kindSsdVolumes(cluster, ssd)) byNode.set(v.node, [...(byNode.get(v.node) ?? []), v.path]);
    for (const [node, paths] of byNode) lines.push(`docker exec '${node}' mkdir -p ${paths.map((p) => `'${p}'`).join(" ")}`);
  }
  lines.push(`kind get kubeconfig --name '${cluster.name}'`);
  return lines.join("\n") + "\n";
}

/** Shell run on delete. */
export function kindDeleteScript(cluster: KindClusterConfig): string {
  return `kind delete cluster --name '${cluster.name}'\n`;
}
