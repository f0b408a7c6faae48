/**
 * The `atlas:` stack configuration: the single source of truth for its keys, types, defaults
 * and messages. Every top-level key (`atlas:cluster`, `atlas:image`, ...) is one section below:
 * the stack's own (cluster, image, release, add-ons), then the chart's sections under the chart's
 * names and schemas (chartValues.ts), so an unset key means what the chart means. Rules that
 * relate several sections live in constraints.ts (stack) and chartConstraints.ts (chart values).
 */
import { z } from "zod";
import { ChartSection, chartSections } from "./chartValues";
import { chartVersion, digestReference, dnsLabel, httpUrl, imageRepository, imageTag, optionalDnsLabel, storageQuantity, strict } from "./primitives";

/** kindest/node image of kind v0.29.0 for Kubernetes v1.33.1. */
export const defaultKindNodeImage = "kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f";

/** Upstream chart of each add-on, pinned. */
export const addonCharts = {
  argoRollouts: { chart: "argo-rollouts", repository: "https://argoproj.github.io/argo-helm", version: "2.37.7" },
  monitoring: { chart: "kube-prometheus-stack", repository: "https://prometheus-community.github.io/helm-charts", version: "67.8.0" },
  metricsAdapter: { chart: "prometheus-adapter", repository: "https://prometheus-community.github.io/helm-charts", version: "5.3.0" },
} as const;

/** Where an add-on chart comes from, resolved: a chart repository, an OCI registry (mirror) or a local path. */
export type ChartSource =
  | { kind: "repository"; repository: string; chart: string; version: string }
  | { kind: "oci"; url: string; version: string }
  | { kind: "path"; path: string };

/**
 * An add-on chart source as the operator writes it: at most one of repository / oci / path,
 * none meaning the upstream repository; version defaults to the pinned one.
 */
function chartSource(upstream: { chart: string; repository: string; version: string }) {
  return strict({
    /** Chart repository URL serving the upstream chart name. */
    repository: httpUrl.optional(),
    /** Full OCI reference of the chart on a mirror, e.g. oci://registry.internal/charts/argo-rollouts. */
    oci: z.string().regex(/^oci:\/\/[^\s@]+$/, "an oci:// chart reference without tag, e.g. oci://registry.internal/charts/argo-rollouts").optional(),
    /** Local chart directory or .tgz, relative to the project directory. */
    path: z.string().min(1, "a non-empty path").optional(),
    /** Exact chart version (repository and oci sources). */
    version: chartVersion.default(upstream.version),
  })
    .superRefine((source, ctx) => {
      const given = (["repository", "oci", "path"] as const).filter((k) => source[k] !== undefined);
      for (const extra of given.slice(1)) {
        ctx.addIssue({ code: "custom", path: [extra], input: source[extra], message: `only one of repository, oci or path (${given[0]} is already set)` });
      }
    })
    .transform((source): ChartSource => {
      if (source.oci !== undefined) return { kind: "oci", url: source.oci, version: source.version };
      if (source.path !== undefined) return { kind: "path", path: source.path };
      return { kind: "repository", repository: source.repository ?? upstream.repository, chart: upstream.chart, version: source.version };
    })
    .prefault({});
}

/** install: this stack installs it; preinstalled: the platform did (its CRDs are assumed present); disabled: absent. */
const addonMode = z.enum(["install", "preinstalled", "disabled"]);

/** Extra values for an add-on chart, merged over the ones this project sets. */
const addonValues = z.record(z.string(), z.unknown()).default({});

const absolutePath = z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, "an absolute path of letters, digits, '.', '_', '-' and '/'");

export const clusterSchema = z
  .discriminatedUnion(
    "target",
    [
      strict({
        /** No cluster: the kubernetes provider writes every manifest to rendered/<stack>/. */
        target: z.literal("render"),
      }),
      strict({
        /** An existing cluster reached through a kubeconfig: how cloud clusters are reached. */
        target: z.literal("kubeconfig"),
        /** Kubeconfig file, relative to the project or under ~/ (default: $KUBECONFIG or ~/.kube/config). */
        kubeconfig: z.string().min(1, "a non-empty path").optional(),
        /** Context in that file (default: its current context). */
        context: z.string().min(1, "a non-empty context name").optional(),
      }),
      strict({
        /** A Kind cluster this stack creates and deletes. */
        target: z.literal("kind"),
        /** Kind cluster name (default "atlas"). */
        name: dnsLabel.default("atlas"),
        /** Worker nodes besides the control plane (default 1). */
        workers: z.number().int().min(1).max(10).default(1),
        /** kindest/node image, pinned by digest. */
        nodeImage: digestReference.default(defaultKindNodeImage),
        /** Host port of the local registry the nodes pull built images from (default 5001). */
        registryPort: z.number().int().min(1024).max(65535).default(5001),
        /** Host directory backing the node-local SSD profile; each worker mounts <dir>/<node> (default /var/lib/bijux-atlas/ssd). */
        ssdHostPath: absolutePath.default("/var/lib/bijux-atlas/ssd"),
        /** Local PersistentVolumes per worker in the node-local SSD profile (default 2). */
        ssdVolumesPerNode: z.number().int().min(1).max(16).default(2),
      }),
      strict({
        /**
         * A Docker-free control plane this stack starts and stops: etcd, kube-apiserver,
         * kube-controller-manager and kube-scheduler from pinned binaries on loopback, with kwok
         * simulating the nodes (lib/cluster/).
         */
        target: z.literal("local"),
        /** Data directory of the control plane, relative to the project (default .local-cluster/<stack>). */
        dataDir: z.string().min(1, "a non-empty path").optional(),
        /** Simulated nodes (default 2). */
        nodes: z.number().int().min(1).max(20).default(2),
      }),
    ],
    { error: (issue) => (issue.code === "invalid_union" ? 'target one of "render", "kubeconfig", "kind", "local"' : undefined) },
  )
  .prefault({ target: "render" });

const pullSettings = {
  /** imagePullPolicy (default IfNotPresent). */
  pullPolicy: z.enum(["IfNotPresent", "Always", "Never"]).default("IfNotPresent"),
  /** Names of image pull Secrets in the release namespace (default none). */
  pullSecrets: z.array(dnsLabel).default([]),
};

export const imageSchema = z.discriminatedUnion(
  "source",
  [
    strict({
      /** A given image pinned by digest; nothing is built. */
      source: z.literal("pinned"),
      /** repository[:tag]@sha256:<64 hex>. */
      ref: digestReference,
      ...pullSettings,
    }),
    strict({
      /** Built with docker/Dockerfile from the pinned crates and pushed where the cluster pulls. */
      source: z.literal("build"),
      /** Repository to push to (default on kind: the cluster's local registry; required otherwise). */
      repository: imageRepository.optional(),
      /** Tag pushed alongside the digest (default "dev"; a moving tag, contract/grammar.ts `refusedImageTags`, is refused). */
      tag: imageTag.default("dev"),
      /** Target platform (default linux/amd64). */
      platform: z.enum(["linux/amd64", "linux/arm64"]).default("linux/amd64"),
      /** Build arguments of docker/Dockerfile (default none; ATLAS_VERSION is the pin's, not the stack's). */
      buildArgs: z
        .record(
          z
            .string()
            .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a build-arg name")
            .refine((k) => k !== "ATLAS_VERSION", "a build-arg other than ATLAS_VERSION (the server version is pinned in contract/server.ts)"),
          z.string(),
        )
        .default({}),
      /** Images used as build cache (default none). */
      cacheFrom: z.array(z.string().min(1)).default([]),
      ...pullSettings,
    }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? 'source "pinned" (with ref) or "build"' : issue.input === undefined ? 'an object with source "pinned" (with ref) or "build"' : undefined) },
);

export const releaseSchema = strict({
  /** Helm release name (default "atlas"). */
  name: dnsLabel.default("atlas"),
  /** Namespace of the release, created with Pod Security admission "restricted" (default "bijux-atlas"). */
  namespace: dnsLabel.default("bijux-atlas"),
}).prefault({});

/**
 * The chart's store section, except that the stack does not say whether the chart creates the
 * credentials Secret: it does exactly when the bearer token is set, as a stack secret
 * (`pulumi config set --secret`), which reaches the chart only as a secret Output.
 */
export const storeSchema = strict({
  ...chartSections.store.unwrap().shape,
  credentials: strict({
    /** The store's bearer token; set it with `pulumi config set --secret --path atlas:store.credentials.bearerToken <token>`. */
    bearerToken: z.string().min(1, "a non-empty token").optional(),
    /** An existing Secret holding the token under ATLAS_STORE_S3_BEARER (default none). */
    existingSecret: optionalDnsLabel.default(""),
  }).prefault({}),
}).prefault({});

/** The chart's node-local SSD section plus what only the stack does with it: declaring the local PVs. */
export const nodeLocalSsdProfileSchema = strict({
  ...chartSections.nodeLocalSsdProfile.unwrap().shape,
  /** stack: this stack declares the StorageClass and PVs; platform: they already exist (default stack). */
  provision: z.enum(["stack", "platform"]).default("stack"),
  /** Local PVs to declare on a kubeconfig, render or local target (kind generates its own). */
  volumes: z
    .array(
      strict({
        /** Node name (kubernetes.io/hostname). */
        node: z.string().min(1, "a node name"),
        /** Absolute mount path of the SSD on that node. */
        path: absolutePath,
        /** Capacity of the volume. */
        capacity: storageQuantity,
      }),
    )
    .default([]),
}).prefault({});

/** The chart's networkPolicy section; its ingress namespace comes from atlas:monitoring.namespace. */
export const networkPolicySchema = strict({
  ...(({ ingress: _ingress, ...rest }) => rest)(chartSections.networkPolicy.unwrap().shape),
}).prefault({});

/** Config paths whose values are credentials: never printed, always secret Outputs. */
export const secretPaths: readonly string[][] = [["store", "credentials", "bearerToken"]];

const argoRolloutsSchema = strict({
  /** install | preinstalled | disabled (default disabled). */
  mode: addonMode.default("disabled"),
  /** Namespace of the controller (default argo-rollouts). */
  namespace: dnsLabel.default("argo-rollouts"),
  /** Chart source (default the argo-helm repository, pinned). */
  chart: chartSource(addonCharts.argoRollouts),
  values: addonValues,
}).prefault({});

const monitoringSchema = strict({
  /** install: kube-prometheus-stack; preinstalled: the platform's Prometheus Operator and Prometheus (default preinstalled). */
  mode: addonMode.default("preinstalled"),
  /** Namespace of Prometheus; atlas pods accept scrapes from it (default monitoring). */
  namespace: dnsLabel.default("monitoring"),
  /** URL of an existing Prometheus (preinstalled), queried by the metrics adapter. */
  prometheusUrl: httpUrl.optional(),
  /** Chart source (default the prometheus-community repository, pinned). */
  chart: chartSource(addonCharts.monitoring),
  values: addonValues,
}).prefault({});

const metricsAdapterSchema = strict({
  /** install: prometheus-adapter in the monitoring namespace; preinstalled: the platform serves the atlas metrics (default preinstalled). */
  mode: addonMode.default("preinstalled"),
  /** Chart source (default the prometheus-community repository, pinned). */
  chart: chartSource(addonCharts.metricsAdapter),
  values: addonValues,
}).prefault({});

/** The chart sections a stack configures directly, under the chart's own names. */
export const stackChartSectionNames = [
  "serviceAccount",
  "server",
  "store",
  "cache",
  "concurrency",
  "resources",
  "service",
  "networkPolicy",
  "hpa",
  "pdb",
  "serviceMonitor",
  "rollout",
  "datasetWarmupJob",
  "catalogPublishJob",
  "nodeLocalSsdProfile",
] as const satisfies readonly ChartSection[];

/** Every `atlas:` key and its schema: the stack's own sections, then the chart's. */
export const sections = {
  cluster: clusterSchema,
  image: imageSchema,
  release: releaseSchema,
  argoRollouts: argoRolloutsSchema,
  monitoring: monitoringSchema,
  metricsAdapter: metricsAdapterSchema,
  serviceAccount: chartSections.serviceAccount,
  server: chartSections.server,
  store: storeSchema,
  cache: chartSections.cache,
  concurrency: chartSections.concurrency,
  resources: chartSections.resources,
  service: chartSections.service,
  networkPolicy: networkPolicySchema,
  hpa: chartSections.hpa,
  pdb: chartSections.pdb,
  serviceMonitor: chartSections.serviceMonitor,
  rollout: chartSections.rollout,
  datasetWarmupJob: chartSections.datasetWarmupJob,
  catalogPublishJob: chartSections.catalogPublishJob,
  nodeLocalSsdProfile: nodeLocalSsdProfileSchema,
};

export type SectionName = keyof typeof sections;

/** The whole `atlas:` namespace: unknown keys refused. */
export const stackConfigSchema = strict(sections);

export type StackConfig = z.output<typeof stackConfigSchema>;
export type ClusterConfig = StackConfig["cluster"];
export type KindClusterConfig = Extract<ClusterConfig, { target: "kind" }>;
export type ImageConfig = StackConfig["image"];
export type AddonMode = z.output<typeof addonMode>;
