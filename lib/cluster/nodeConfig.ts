/**
 * Configuration files of a real node, all under the node's directory: containerd's (own root,
 * state and socket; a registry guard), the CNI bridge, the kubelet's, and the kubeconfigs of the
 * node's components.
 */
import * as fs from "fs";
import * as path from "path";
import { clusterDomain, ClusterNetwork, RealNodePlan } from "./realNetwork";

export interface NodePaths {
  dir: string;
  containerdConfig: string;
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  cniConfDir: string;
  cniIpamDir: string;
  kubeletRoot: string;
  kubeletConfig: string;
  podLogs: string;
  kubeconfigs: string;
  sysctlMasks: string;
  logs: string;
  /** Written by the namespace holder once the node's mounts are in place. */
  ready: string;
}

export function nodePaths(dataDir: string, index: number): NodePaths {
  const dir = path.join(dataDir, "nodes", String(index));
  return {
    dir,
    containerdConfig: path.join(dir, "containerd", "config.toml"),
    containerdRoot: path.join(dir, "containerd", "root"),
    containerdState: path.join(dir, "containerd", "state"),
    containerdSocket: path.join(dir, "containerd", "containerd.sock"),
    cniConfDir: path.join(dir, "cni", "net.d"),
    cniIpamDir: path.join(dir, "cni", "ipam"),
    kubeletRoot: path.join(dir, "kubelet"),
    kubeletConfig: path.join(dir, "kubelet-config.yaml"),
    podLogs: path.join(dir, "pod-logs"),
    kubeconfigs: path.join(dir, "kubeconfigs"),
    sysctlMasks: path.join(dir, "sysctl"),
    logs: path.join(dir, "logs"),
    ready: path.join(dir, "holder.ready"),
  };
}

/** Unix socket paths are limited to 107 bytes. */
export function checkSocketPath(p: string): void {
  if (Buffer.byteLength(p) > 100) throw new Error(`data directory too deep: the container runtime socket ${p} is ${Buffer.byteLength(p)} bytes; allowed: at most 100 (use a shorter data directory)`);
}

const toml = (s: string) => JSON.stringify(s);

/**
 * containerd 1.6's config: everything under the node's directory; the pause image built here;
 * `restrict_oom_score_adj` (the machine gives no CAP_SYS_RESOURCE); pod netns mounts under its
 * state; and a registry guard: every registry resolves to a closed local port first (and the
 * node's netns has no route out), so a pull of anything not imported fails at once.
 */
export function containerdConfig(p: NodePaths, pauseRef: string): string {
  return `version = 2
root = ${toml(p.containerdRoot)}
state = ${toml(p.containerdState)}
oom_score = 0
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = ${toml(p.containerdSocket)}

[ttrpc]
  address = ${toml(`${p.containerdSocket}.ttrpc`)}

[debug]
  level = "warn"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = ${toml(path.join(p.dir, "containerd", "opt"))}

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${toml(pauseRef)}
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  disable_apparmor = true
  enable_selinux = false
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  max_container_log_line_size = 16384

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        SystemdCgroup = false

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = ${toml(p.cniConfDir)}
    max_conf_num = 1

  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."*"]
    endpoint = ["http://127.0.0.1:1"]
`;
}

/** The pod network: one bridge per node (cni0 in the node's netns), addresses from the node's pod range. */
export function cniConfig(net: ClusterNetwork, node: RealNodePlan, p: NodePaths): string {
  return JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: `atlas${net.slot}-pods`,
      plugins: [
        {
          type: "bridge",
          bridge: "cni0",
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: { type: "host-local", dataDir: p.cniIpamDir, ranges: [[{ subnet: node.podCidr }]], routes: [{ dst: "0.0.0.0/0" }] },
        },
      ],
    },
    null,
    2,
  );
}

/** The kubelet's configuration file (flags only for what it has no field for). */
export function kubeletConfig(net: ClusterNetwork, node: RealNodePlan, p: NodePaths, caFile: string): string {
  const cfg = {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    address: node.ip,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: 10248,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: caFile } },
    authorization: { mode: "Webhook" },
    cgroupDriver: "cgroupfs",
    cgroupRoot: `${net.cgroupRoot}/n${node.index}`,
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    clusterDNS: [net.dnsServiceIp],
    clusterDomain,
    // No host resolver for pods: cluster DNS only, nothing resolves outside the cluster.
    resolvConf: "",
    podLogsDir: p.podLogs,
    failSwapOn: false,
    serializeImagePulls: false,
    // Images are imported, never pulled: garbage-collecting them would lose them.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    // The machine's disk is shared: evict on this node's own limits (emptyDir sizes, ephemeral storage), not on host fullness.
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%", "nodefs.inodesFree": "1%" },
    evictionPressureTransitionPeriod: "10s",
    // Local storage usage is measured this often: an emptyDir over its limit is evicted within seconds.
    volumeStatsAggPeriod: "5s",
    rotateCertificates: false,
    serverTLSBootstrap: false,
    registerNode: true,
    nodeStatusReportFrequency: "10s",
    syncFrequency: "10s",
    fileCheckFrequency: "10s",
    shutdownGracePeriod: "0s",
    localStorageCapacityIsolation: true,
    maxPods: 50,
  };
  return JSON.stringify(cfg, null, 2);
}

/** A kubeconfig for a node component: the API server through the host's fabric address, named as its certificate says. */
export function componentKubeconfig(server: string, caFile: string, cert: string, key: string): string {
  const b64 = (f: string) => fs.readFileSync(f).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: atlas-local",
    // The API server's certificate names kubernetes.default.svc, not the fabric address.
    `  cluster: {server: "${server}", certificate-authority-data: ${b64(caFile)}, tls-server-name: kubernetes.default.svc}`,
    "users:",
    "- name: component",
    `  user: {client-certificate-data: ${b64(cert)}, client-key-data: ${b64(key)}}`,
    "contexts:",
    "- name: atlas-local",
    "  context: {cluster: atlas-local, user: component}",
    "current-context: atlas-local",
    "",
  ].join("\n");
}

/**
 * Kernel settings the kubelet insists on (it rewrites them unless protectKernelDefaults, which
 * fails instead). They are host-wide, not per namespace, and the host is shared: the kubelet is
 * shown files holding the values it wants, bind-mounted over /proc/sys in the node's own mount
 * namespace, and the host's values stay.
 */
export const kubeletKernelTunables: Record<string, string> = {
  "vm/overcommit_memory": "1",
  "vm/panic_on_oom": "0",
  "kernel/panic": "10",
  "kernel/panic_on_oops": "1",
  "kernel/keys/root_maxkeys": "1000000",
  "kernel/keys/root_maxbytes": "25000000",
};
