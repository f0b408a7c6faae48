import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import type { ClusterConfig, KindClusterConfig, StackConfig } from "../../config/schema";
import {
  KindSsd,
  kindClusterConfigYaml,
  kindCreateScript,
  kindDeleteScript,
  kindRegistryHost,
  kindRegistryName,
  kindSsdVolumes,
} from "./kind";
import { start as startLocal } from "../../lib/cluster/controlPlane";
import { LocalControlPlane } from "./localControlPlane";
import { LocalVolume, localPersistentVolumeArgs, localStorageClassArgs, localVolumeSlug } from "./localVolumes";
import { fromProject, repoRoot } from "../../lib/paths";

/** registry:2, pinned: the local registry kind nodes pull built images from. */
export const registryImage = "docker.io/library/registry:2.8.3@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373";

/**
 * Provider settings every target shares. ConfigMaps and Secrets are updated in place, as Helm
 * does: the chart's config checksum rolls the pods, whereas the provider's default (replace)
 * would delete and recreate the fixed-name ConfigMap the running pods read.
 */
export const providerDefaults = { enableConfigMapMutable: true, enableSecretMutable: true } as const;

/** A registry the cluster's nodes pull from. */
export interface ClusterRegistry {
  /** host:port images are pushed to and referenced by. */
  host: string;
  /** What must exist before a push (the registry container). */
  ready: pulumi.Resource[];
}

export interface AtlasClusterArgs {
  /** Target (render, kubeconfig or kind) and its settings, validated. Required. */
  cluster: ClusterConfig;
  /** Node-local SSD profile; its StorageClass and local PVs are declared when enabled with provision "stack". Default: disabled. */
  nodeLocalSsdProfile?: StackConfig["nodeLocalSsdProfile"];
  /** Directory the render target writes manifests to. Default: rendered/<stack> in the project directory. */
  renderDirectory?: string;
  /**
   * Starts (or finds running) the local target's control plane and resolves with its kubeconfig.
   * Default: lib/cluster/controlPlane's start, which launches the processes on loopback.
   */
  startLocalControlPlane?: (dataDir: string, nodes: number) => Promise<string>;
}

/** The default {@link AtlasClusterArgs.startLocalControlPlane}: progress goes to the Pulumi log. */
async function startLocalControlPlane(dataDir: string, nodes: number, parent: pulumi.Resource): Promise<string> {
  const cluster = await startLocal({ dataDir, nodes, log: (line) => pulumi.log.info(line, parent) });
  return fs.readFileSync(cluster.kubeconfigPath, "utf8");
}

/**
 * The cluster the stack deploys to, exposed as the Kubernetes provider every other component
 * uses: a Kind cluster created and deleted with the stack (with a local registry the nodes
 * trust), an existing cluster by kubeconfig (how cloud clusters are reached), or no cluster:
 * the provider renders every manifest to a directory.
 */
export class AtlasCluster extends pulumi.ComponentResource {
  /** The provider every Kubernetes resource of the stack uses. */
  public readonly provider: k8s.Provider;
  /** Which target this is. */
  public readonly target: ClusterConfig["target"];
  /** Where manifests are written (render target only). Contains Secrets in plain text: keep it out of version control. */
  public readonly renderDirectory?: string;
  /** The local registry the nodes pull built images from (kind only). */
  public readonly registry?: ClusterRegistry;
  /** Resources workloads need before they start (cluster, StorageClass and PVs of the SSD profile). */
  public readonly ready: pulumi.Resource[] = [];

  constructor(name: string, args: AtlasClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bijux:atlas:AtlasCluster", name, {}, opts);
    const cluster = args.cluster;
    const ssd = args.nodeLocalSsdProfile?.enabled && args.nodeLocalSsdProfile.provision === "stack" ? args.nodeLocalSsdProfile : undefined;
    this.target = cluster.target;

    let volumes: LocalVolume[] = ssd?.volumes ?? [];
    switch (cluster.target) {
      case "render":
        this.renderDirectory = args.renderDirectory ?? path.join(repoRoot, "rendered", pulumi.getStack());
        this.provider = new k8s.Provider(`${name}-k8s`, { ...providerDefaults, renderYamlToDirectory: this.renderDirectory }, { parent: this });
        break;
      case "kubeconfig":
        this.provider = new k8s.Provider(
          `${name}-k8s`,
          { ...providerDefaults, kubeconfig: cluster.kubeconfig === undefined ? undefined : fromProject(cluster.kubeconfig), context: cluster.context },
          { parent: this },
        );
        break;
      case "local": {
        const dataDir = fromProject(cluster.dataDir ?? path.join(".local-cluster", pulumi.getStack()));
        // helm v4 Charts render against a reachable cluster even in preview
        // (pulumi/pulumi-kubernetes#3027), so the program starts the control plane whenever it
        // runs, preview included, and hands the provider a kubeconfig known at preview time; the
        // LocalControlPlane resource owns it for `destroy`. A control plane found partly down (a
        // crashed API server, a reboot) is restarted with its data and ports.
        const start = args.startLocalControlPlane ?? ((dir: string, nodes: number) => startLocalControlPlane(dir, nodes, this));
        const kubeconfig = pulumi.secret(pulumi.output(start(dataDir, cluster.nodes)));
        const controlPlane = new LocalControlPlane(`${name}-local`, { dataDir, nodes: cluster.nodes, projectDir: repoRoot }, { parent: this });
        this.ready.push(controlPlane);
        this.provider = new k8s.Provider(`${name}-k8s`, { ...providerDefaults, kubeconfig }, { parent: this, dependsOn: [controlPlane] });
        break;
      }
      case "kind": {
        const kindSsd: KindSsd | undefined = ssd && { nodeLabel: ssd.nodeLabel, capacity: ssd.size };
        const kind = this.kind(name, cluster, kindSsd);
        this.provider = kind.provider;
        this.registry = { host: kindRegistryHost(cluster), ready: [kind.registry] };
        if (kindSsd) volumes = kindSsdVolumes(cluster, kindSsd);
        break;
      }
    }

    if (ssd) {
      const storageClass = new k8s.storage.v1.StorageClass(`${name}-ssd`, localStorageClassArgs(ssd.storageClassName), { parent: this, provider: this.provider });
      this.ready.push(storageClass);
      for (const volume of volumes) {
        this.ready.push(
          new k8s.core.v1.PersistentVolume(`${name}-pv-${localVolumeSlug(volume)}`, localPersistentVolumeArgs(ssd.storageClassName, volume), {
            parent: this,
            provider: this.provider,
            dependsOn: [storageClass],
          }),
        );
      }
    }

    this.registerOutputs({ target: this.target, renderDirectory: this.renderDirectory, registry: this.registry?.host });
  }

  /** The Kind cluster, its registry, and a provider reading the cluster's kubeconfig. */
  private kind(name: string, cluster: KindClusterConfig, ssd: KindSsd | undefined): { provider: k8s.Provider; registry: docker.Container } {
    const config = kindClusterConfigYaml(cluster, ssd);
    const kind = new command.local.Command(
      `${name}-kind`,
      {
        create: kindCreateScript(cluster, ssd),
        update: kindCreateScript(cluster, ssd),
        delete: kindDeleteScript(cluster),
        stdin: config,
        // A changed node layout cannot be applied in place: recreate the cluster.
        triggers: [config],
      },
      // stdout is the kubeconfig, client key included.
      { parent: this, additionalSecretOutputs: ["stdout"] },
    );
    this.ready.push(kind);

    const image = new docker.RemoteImage(`${name}-registry-image`, { name: registryImage, keepLocally: true }, { parent: this });
    const registry = new docker.Container(
      `${name}-registry`,
      {
        name: kindRegistryName(cluster),
        image: image.imageId,
        restart: "always",
        ports: [{ internal: 5000, external: cluster.registryPort, ip: "127.0.0.1" }],
        // The kind network exists once kind created the cluster; nodes reach the registry by container name.
        networksAdvanced: [{ name: "kind" }],
      },
      { parent: this, dependsOn: [kind] },
    );
    this.ready.push(registry);

    const provider = new k8s.Provider(`${name}-k8s`, { ...providerDefaults, kubeconfig: kind.stdout }, { parent: this });
    // Documents the registry to in-cluster tooling (KEP-1755).
    new k8s.core.v1.ConfigMap(
      `${name}-registry-hosting`,
      {
        metadata: { name: "local-registry-hosting", namespace: "kube-public" },
        data: { "localRegistryHosting.v1": `host: "${kindRegistryHost(cluster)}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n` },
      },
      { parent: this, provider },
    );
    return { provider, registry };
  }
}
