import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { stringify } from "yaml";
import type { ClusterConfig } from "../config/schema";
import { kindClusterConfig, kindRegistryName, kindWorkerNames } from "./kindConfig";
import { fromProject } from "./paths";

/** The local registry image kind nodes pull built images from (registry:2, pinned). */
export const registryImage = "docker.io/library/registry:2.8.3@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373";

export interface AtlasClusterArgs {
  /** Target and per-target settings, already validated. */
  cluster: ClusterConfig;
  /** Stack name; names the render directory (default rendered/<stack>). */
  stack: string;
  /** Provision the node-local SSD profile on kind: worker mounts, StorageClass and local PVs. Default false. */
  nodeLocalSsd?: boolean;
  /** StorageClass of the node-local SSD PVs. Default "atlas-local-ssd". */
  ssdStorageClassName?: string;
  /** Capacity of each node-local PV on kind. Default "20Gi". */
  ssdVolumeSize?: string;
}

/**
 * The cluster the stack deploys to, as a Kubernetes provider: a Kind cluster it creates and
 * deletes, an existing cluster by kubeconfig (how cloud clusters are reached), or no cluster at
 * all with every manifest rendered to a directory.
 */
export class AtlasCluster extends pulumi.ComponentResource {
  /** The provider every Kubernetes resource of the stack uses. */
  public readonly provider: k8s.Provider;
  /** Which target this is. */
  public readonly target: ClusterConfig["target"];
  /** Directory the manifests are written to (render target only). */
  public readonly renderDirectory?: string;
  /** Registry host:port built images are pushed to and pulled from (kind only). */
  public readonly registry?: string;
  /** Resources that must exist before workloads (kind cluster, registry, SSD volumes). */
  public readonly ready: pulumi.Resource[] = [];

  constructor(name: string, args: AtlasClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:AtlasCluster", name, {}, opts);
    this.target = args.cluster.target;

    switch (args.cluster.target) {
      case "render": {
        this.renderDirectory = fromProject(args.cluster.render.directory ?? path.join("rendered", args.stack));
        this.provider = new k8s.Provider(`${name}-provider`, { renderYamlToDirectory: this.renderDirectory }, { parent: this });
        break;
      }
      case "kubeconfig": {
        const { path: kubeconfig, context } = args.cluster.kubeconfig;
        this.provider = new k8s.Provider(
          `${name}-provider`,
          { kubeconfig: kubeconfig ? fromProject(kubeconfig) : undefined, context },
          { parent: this },
        );
        break;
      }
      case "kind": {
        const kind = args.cluster.kind;
        const ssd = args.nodeLocalSsd ?? false;
        const workers = kindWorkerNames(kind.name, kind.workers);
        const volumeDirs = workers.flatMap((w) => Array.from({ length: kind.ssdVolumesPerNode }, (_, v) => `"${kind.ssdHostPath}/${w}/vol${v}"`));
        const mkdirs = ssd ? `mkdir -p ${volumeDirs.join(" ")} && ` : "";
        const cluster = new command.local.Command(
          `${name}-kind`,
          {
            create: `${mkdirs}kind create cluster --name "${kind.name}" --config /dev/stdin --wait 180s 1>&2 && kind get kubeconfig --name "${kind.name}"`,
            delete: `kind delete cluster --name "${kind.name}"`,
            stdin: stringify(kindClusterConfig(kind, ssd)),
            triggers: [kind.name, kind.nodeImage, kind.workers, ssd],
          },
          { parent: this, additionalSecretOutputs: ["stdout"] },
        );
        const image = new docker.RemoteImage(`${name}-registry-image`, { name: registryImage, keepLocally: true }, { parent: this });
        const registry = new docker.Container(
          `${name}-registry`,
          {
            name: kindRegistryName(kind.name),
            image: image.imageId,
            restart: "always",
            ports: [{ internal: 5000, external: kind.registryPort, ip: "127.0.0.1" }],
            networksAdvanced: [{ name: "kind" }],
          },
          { parent: this, dependsOn: [cluster] },
        );
        this.registry = `localhost:${kind.registryPort}`;
        this.provider = new k8s.Provider(`${name}-provider`, { kubeconfig: cluster.stdout }, { parent: this, dependsOn: [cluster] });
        this.ready.push(cluster, registry);
        if (ssd) {
          const storageClassName = args.ssdStorageClassName ?? "atlas-local-ssd";
          const sc = new k8s.storage.v1.StorageClass(
            `${name}-ssd`,
            { metadata: { name: storageClassName }, provisioner: "kubernetes.io/no-provisioner", volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Delete" },
            { parent: this, provider: this.provider },
          );
          this.ready.push(sc);
          workers.forEach((worker, w) => {
            for (let v = 0; v < kind.ssdVolumesPerNode; v++) {
              this.ready.push(
                new k8s.core.v1.PersistentVolume(
                  `${name}-ssd-${w}-${v}`,
                  {
                    metadata: { name: `atlas-ssd-${worker}-${v}`, labels: { "bijux.io/local-ssd": "true" } },
                    spec: {
                      capacity: { storage: args.ssdVolumeSize ?? "20Gi" },
                      accessModes: ["ReadWriteOnce"],
                      persistentVolumeReclaimPolicy: "Delete",
                      storageClassName,
                      local: { path: `/mnt/atlas-ssd/vol${v}` },
                      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [worker] }] }] } },
                    },
                  },
                  { parent: this, provider: this.provider, dependsOn: [sc] },
                ),
              );
            }
          });
        }
        break;
      }
    }

    this.registerOutputs({ target: this.target, renderDirectory: this.renderDirectory, registry: this.registry });
  }
}
