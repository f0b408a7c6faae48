/**
 * The `atlas:` stack configuration: the single source of truth for its keys, types, defaults
 * and messages. Every top-level key (`atlas:cluster`, `atlas:image`, ...) is one section below;
 * rules that relate several sections live in rules.ts. Defaults equal the chart's production
 * defaults (charts/bijux-atlas/values.yaml) so an unset key means what the chart means.
 */
import { z } from "zod";
import {
  chartVersion,
  cpuQuantity,
  digestReference,
  dnsLabel,
  httpUrl,
  imageRepository,
  metricQuantity,
  narrowCidr,
  storageQuantity,
} from "./primitives";

/** A strict object whose unknown-key error names the keys it does know. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `no such key here; the known keys are: ${Object.keys(shape).join(", ")}` : undefined),
  });
}

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
      /** Built from a bijux-atlas checkout with docker/Dockerfile and pushed where the cluster pulls. */
      source: z.literal("build"),
      /** Path of the bijux-atlas source checkout (the build context), relative to the project. */
      context: z.string().min(1, "a non-empty path"),
      /** Repository to push to (default on kind: the cluster's local registry; required otherwise). */
      repository: imageRepository.optional(),
      /** Tag pushed alongside the digest (default "dev"; "latest" is refused). */
      tag: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "a Docker tag")
        .refine((t) => t !== "latest", 'a tag other than "latest"')
        .default("dev"),
      /** Target platform (default linux/amd64). */
      platform: z.enum(["linux/amd64", "linux/arm64"]).default("linux/amd64"),
      /** Build arguments of docker/Dockerfile (default none). */
      buildArgs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a build-arg name"), z.string()).default({}),
      /** Images used as build cache (default none). */
      cacheFrom: z.array(z.string().min(1)).default([]),
      ...pullSettings,
    }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? 'source "pinned" (with ref) or "build" (with context)' : issue.input === undefined ? 'an object with source "pinned" (with ref) or "build" (with context)' : undefined) },
);

export const releaseSchema = strict({
  /** Helm release name (default "atlas"). */
  name: dnsLabel.default("atlas"),
  /** Namespace of the release, created with Pod Security admission "restricted" (default "bijux-atlas"). */
  namespace: dnsLabel.default("bijux-atlas"),
}).prefault({});

const probe = (period: number, failureThreshold: number) =>
  strict({
    periodSeconds: z.number().int().min(1).default(period),
    timeoutSeconds: z.number().int().min(1).default(5),
    failureThreshold: z.number().int().min(1).default(failureThreshold),
  }).prefault({});

export const serverSchema = strict({
  /** Replicas when the HPA is disabled (default 2). */
  replicas: z.number().int().min(1).default(2),
  /** Container and Service port; at least 1024 since the server runs as non-root without capabilities (default 8080). */
  port: z.number().int().min(1024).max(65535).default(8080),
  /** Log level (default info). */
  logLevel: z.enum(["error", "warn", "info", "debug", "trace"]).default("info"),
  /** ATLAS_CACHED_ONLY_MODE: serve only cached datasets; readiness stops waiting for the catalog (default false). */
  cachedOnlyMode: z.boolean().default(false),
  /** ATLAS_CATALOG_URL (default none; required unless cachedOnlyMode). */
  catalogUrl: httpUrl.optional(),
  /** Sequence endpoint limits (ATLAS_MAX_SEQUENCE_BASES, ATLAS_SEQUENCE_*). */
  sequence: strict({
    maxBases: z.number().int().min(1).default(100000),
    apiKeyRequiredBases: z.number().int().min(1).default(10000),
    ttlMs: z.number().int().min(1).default(300000),
    rateLimitCapacity: z.number().int().min(1).default(20),
    rateLimitRefillPerSec: z.number().positive().default(5),
  }).prefault({}),
  /** startupProbe tuning: long budget for cold starts (default 10 s x 90). */
  startupProbe: probe(10, 90),
  /** readinessProbe tuning (default 10 s x 3). */
  readinessProbe: probe(10, 3),
  /** livenessProbe tuning (default 20 s x 3). */
  livenessProbe: probe(20, 3),
  /** Extra non-secret ATLAS_* runtime config (default none). */
  extraConfig: z
    .record(
      z
        .string()
        .regex(/^ATLAS_[A-Z0-9_]+$/, "an ATLAS_* key")
        .refine((k) => k !== "ATLAS_STORE_ACCESS_KEY" && k !== "ATLAS_STORE_SECRET_KEY", "an ATLAS_* key other than the store credentials (those go in store.credentials)"),
      z.union([z.string(), z.number(), z.boolean()]),
    )
    .default({}),
}).prefault({});

export const storeSchema = strict({
  /** ATLAS_STORE_ENDPOINT: object store holding the dataset releases (default none). */
  endpoint: httpUrl.optional(),
  /** ATLAS_STORE_BUCKET (default none). */
  bucket: z.string().min(1, "a non-empty bucket name").optional(),
  /** ATLAS_STORE_REGION (default none). */
  region: z.string().min(1, "a non-empty region").optional(),
  /** Store credentials: accessKey + secretKey set as secrets, or an existing Secret (default none). */
  credentials: strict({
    /** Set with `pulumi config set --secret --path store.credentials.accessKey`. */
    accessKey: z.string().min(1, "a non-empty key").optional(),
    /** Set with `pulumi config set --secret --path store.credentials.secretKey`. */
    secretKey: z.string().min(1, "a non-empty key").optional(),
    /** Existing Secret holding ATLAS_STORE_ACCESS_KEY and ATLAS_STORE_SECRET_KEY. */
    existingSecret: dnsLabel.optional(),
  }).optional(),
}).prefault({});

/** Config paths whose values are credentials: never printed, always secret Outputs. */
export const secretPaths: readonly string[][] = [
  ["store", "credentials", "accessKey"],
  ["store", "credentials", "secretKey"],
];

export const cacheSchema = strict({
  /** sizeLimit of the /cache emptyDir (default 8Gi). */
  diskSize: storageQuantity.default("8Gi"),
  /** ATLAS_CACHE_MAX_DISK_BYTES; at most diskSize (default 7 GiB). */
  maxDiskBytes: z.number().int().min(1).default(7516192768),
  /** sizeLimit of the /tmp emptyDir (default 1Gi). */
  tmpSize: storageQuantity.default("1Gi"),
  /** Init container pulling pinnedDatasets into /cache before the server starts (default false). */
  prewarm: z.boolean().default(false),
  /** Datasets kept hot, e.g. GRCh38/release-112 (default none). */
  pinnedDatasets: z
    .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/@:-]*$/, "a dataset id such as GRCh38/release-112"))
    .refine((list) => new Set(list).size === list.length, "a list without duplicates")
    .default([]),
  /** ATLAS_STARTUP_WARMUP_JITTER_SECONDS (default 15). */
  warmupJitterSeconds: z.number().int().min(0).default(15),
}).prefault({});

export const concurrencySchema = strict({
  /** Concurrent cheap queries (default 256). */
  cheap: z.number().int().min(1).default(256),
  /** Concurrent medium queries (default 64). */
  medium: z.number().int().min(1).default(64),
  /** Concurrent heavy queries (default 8). */
  heavy: z.number().int().min(1).default(8),
}).prefault({});

const resourceList = (cpu: string, memory: string, ephemeral: string) =>
  strict({
    cpu: cpuQuantity.default(cpu),
    memory: storageQuantity.default(memory),
    "ephemeral-storage": storageQuantity.default(ephemeral),
  }).prefault({});

export const resourcesSchema = strict({
  /** Requests (default 500m CPU, 512Mi memory, 2Gi ephemeral-storage). */
  requests: resourceList("500m", "512Mi", "2Gi"),
  /** Limits (default 2000m CPU, 2Gi memory, 10Gi ephemeral-storage). */
  limits: resourceList("2000m", "2Gi", "10Gi"),
}).prefault({});

export const networkPolicySchema = strict({
  /** Deny egress except the rules below (default true). */
  enabled: z.boolean().default(true),
  /** DNS egress (UDP/TCP 53) to kube-system (default true). */
  dns: z.boolean().default(true),
  /** Explicit egress allowlist for catalog/store endpoints (default none). */
  egressCidrs: z
    .array(
      strict({
        cidr: narrowCidr,
        ports: z
          .array(strict({ port: z.number().int().min(1).max(65535), protocol: z.enum(["TCP", "UDP", "SCTP"]).default("TCP") }))
          .min(1, "at least one explicit port per CIDR"),
      }),
    )
    .default([]),
}).prefault({});

export const hpaSchema = strict({
  /** Render the HorizontalPodAutoscaler (default true; needs the metrics adapter). */
  enabled: z.boolean().default(true),
  minReplicas: z.number().int().min(1).default(2),
  maxReplicas: z.number().int().min(1).default(10),
  /** Target average CPU utilisation, percent (default 70). */
  cpuUtilization: z.number().int().min(1).max(100).default(70),
  /** Target average bijux_http_request_latency_p95_seconds per pod (default "500m" = 0.5 s). */
  latencyP95Seconds: metricQuantity.default("500m"),
  /** Target average bijux_inflight_heavy_queries per pod (default "4"). */
  inflightHeavyQueries: metricQuantity.default("4"),
}).prefault({});

export const pdbSchema = strict({
  /** Render the PodDisruptionBudget (default true). */
  enabled: z.boolean().default(true),
  /** minAvailable: an integer or a percentage such as "50%" (default 1). */
  minAvailable: z.union([z.number().int().min(0), z.string().regex(/^(100|[1-9]?[0-9])%$/)], { error: 'an integer >= 0 or a percentage such as "50%"' }).default(1),
}).prefault({});

export const serviceMonitorSchema = strict({
  /** Render the ServiceMonitor (default true; needs the Prometheus Operator CRDs). */
  enabled: z.boolean().default(true),
  /** Scrape interval (default 30s). */
  interval: z.string().regex(/^([0-9]+(ms|s|m|h))+$/, "a duration such as 30s or 1m").default("30s"),
  /** Extra labels, e.g. what an existing Prometheus selects ServiceMonitors by (default none). */
  labels: z.record(z.string(), z.string()).default({}),
}).prefault({});

const duration = z.union([z.string().regex(/^([0-9]+(s|m|h))+$/), z.number().int().min(0)], { error: "a duration such as 5m, or seconds" });
const canaryStep = z.union(
  [
    strict({ setWeight: z.number().int().min(0).max(100) }),
    strict({ pause: strict({ duration: duration.optional() }) }),
    strict({ setCanaryScale: z.record(z.string(), z.unknown()) }),
    strict({ analysis: z.record(z.string(), z.unknown()) }),
  ],
  { error: "a canary step: {setWeight: 0-100}, {pause: {duration: 5m}} or {pause: {}}, {setCanaryScale: {...}} or {analysis: {...}}" },
);

export const canarySchema = strict({
  /** Deploy through an Argo Rollouts canary instead of a Deployment (default false; needs Argo Rollouts). */
  enabled: z.boolean().default(false),
  /** Canary steps (default: 10% for 5 min, 50% for 10 min, then full). */
  steps: z
    .array(canaryStep)
    .min(1, "at least one step")
    .default([{ setWeight: 10 }, { pause: { duration: "5m" } }, { setWeight: 50 }, { pause: { duration: "10m" } }]),
}).prefault({});

export const datasetWarmupJobSchema = strict({
  /** Job running `atlas smoke` for the pinned datasets through the Service (default false). */
  enabled: z.boolean().default(false),
}).prefault({});

export const catalogPublishJobSchema = strict({
  /** Suspended catalog publish Job template (default false). */
  enabled: z.boolean().default(false),
  /** Extra arguments of the publish command (default none). */
  args: z.array(z.string()).default([]),
}).prefault({});

export const nodeLocalSsdSchema = strict({
  /** Mount /cache on node-local SSD through local PersistentVolumes (default false). */
  enabled: z.boolean().default(false),
  /** StorageClass of the local PVs (default atlas-local-ssd). */
  storageClassName: dnsLabel.default("atlas-local-ssd"),
  /** Claim per pod; cache.maxDiskBytes must fit (default 100Gi). */
  size: storageQuantity.default("100Gi"),
  /** Label (value "true") carried by the nodes with the SSD; atlas pods select it (default bijux.io/local-ssd). */
  nodeLabel: z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "a label key such as bijux.io/local-ssd").default("bijux.io/local-ssd"),
  /** stack: this stack declares the StorageClass and PVs; platform: they already exist (default stack). */
  provision: z.enum(["stack", "platform"]).default("stack"),
  /** Local PVs to declare on a kubeconfig or render target (kind generates its own). */
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

/** Every `atlas:` key and its schema. */
export const sections = {
  cluster: clusterSchema,
  image: imageSchema,
  release: releaseSchema,
  server: serverSchema,
  store: storeSchema,
  cache: cacheSchema,
  concurrency: concurrencySchema,
  resources: resourcesSchema,
  networkPolicy: networkPolicySchema,
  hpa: hpaSchema,
  pdb: pdbSchema,
  serviceMonitor: serviceMonitorSchema,
  canary: canarySchema,
  datasetWarmupJob: datasetWarmupJobSchema,
  catalogPublishJob: catalogPublishJobSchema,
  nodeLocalSsd: nodeLocalSsdSchema,
  argoRollouts: argoRolloutsSchema,
  monitoring: monitoringSchema,
  metricsAdapter: metricsAdapterSchema,
};

export type SectionName = keyof typeof sections;

/** The whole `atlas:` namespace: unknown keys refused. */
export const stackConfigSchema = strict(sections);

export type StackConfig = z.output<typeof stackConfigSchema>;
export type ClusterConfig = StackConfig["cluster"];
export type KindClusterConfig = Extract<ClusterConfig, { target: "kind" }>;
export type ImageConfig = StackConfig["image"];
export type AddonMode = z.output<typeof addonMode>;
