/** Nodes that kwok simulates: registered through the API, Ready without a kubelet. */

/** The annotation kwok manages nodes by. */
export const simulatedNodeAnnotation = "kwok.x-k8s.io/node";

/** Manifests of `count` simulated nodes named atlas-node-<i>. */
export function simulatedNodeManifests(count: number): string {
  return Array.from({ length: count }, (_, i) =>
    [
      "apiVersion: v1",
      "kind: Node",
      "metadata:",
      `  name: atlas-node-${i}`,
      `  annotations: {${simulatedNodeAnnotation}: fake, node.alpha.kubernetes.io/ttl: "0"}`,
      `  labels: {kubernetes.io/hostname: atlas-node-${i}, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}`,
      "status:",
      '  allocatable: {cpu: "32", memory: 128Gi, ephemeral-storage: 500Gi, pods: "110"}',
      '  capacity: {cpu: "32", memory: 128Gi, ephemeral-storage: 500Gi, pods: "110"}',
    ].join("\n"),
  ).join("\n---\n");
}
