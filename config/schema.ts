/**
 * The `atlas:` stack configuration: the single source of truth for its keys, types, defaults
 * and error messages. Components receive the parsed {@link StackConfig}, never raw config.
 */
import { z } from "zod";

const semver = z.string().regex(/^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/, "must be a pinned chart version like 2.40.5");
const quantity = z
  .string()
  .regex(/^([0-9]*[1-9][0-9]*(\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, "must be a positive storage quantity like 512Mi or 8Gi");
const cpu = z.string().regex(/^([0-9]*[1-9][0-9]*(\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)m?$/, "must be a positive CPU quantity like 500m or 2");
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label (lowercase letters, digits, '-')").max(63);
const digestRef = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[a-f0-9]{64}$/, "must be an image reference pinned by digest: repository[:tag]@sha256:<64 hex>");
const cidr = z
  .string()
  .regex(
    /^(((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\/([1-9]|[12][0-9]|3[0-2])|[0-9a-fA-F:]*:[0-9a-fA-F:.]*\/([1-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$/,
    "must be an IPv4 or IPv6 CIDR with a prefix length of at least 1 (0.0.0.0/0 and ::/0 are broad egress and refused)",
  );

/** Where a Helm chart comes from: a chart repository, an OCI registry (mirror) or a local path. */
export const chartSourceSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("repository"),
    /** Chart repository URL (https). */
    repository: z.string().regex(/^https?:\/\//, "must be an http(s) chart repository URL"),
    /** Chart name in the repository. */
    chart: z.string().min(1),
    version: semver,
  }),
  z.strictObject({
    kind: z.literal("oci"),
    /** Full OCI reference of the chart, e.g. oci://mirror.internal/charts/argo-rollouts. */
    url: z.string().regex(/^oci:\/\/[^\s]+$/, "must be an oci:// chart reference"),
    version: semver,
  }),
  z.strictObject({
    kind: z.literal("path"),
    /** Local chart directory or .tgz, relative to the project directory. */
    path: z.string().min(1),
  }),
]);
export type ChartSource = z.infer<typeof chartSourceSchema>;

const addonMode = z.enum(["install", "preinstalled", "disabled"]);

const argoRolloutsSchema = z.strictObject({
  /** install: this stack installs it; preinstalled: the platform did (CRDs assumed present); disabled. */
  mode: addonMode.default("disabled"),
  namespace: dnsLabel.default("argo-rollouts"),
  chart: chartSourceSchema.default({ kind: "repository", repository: "https://argoproj.github.io/argo-helm", chart: "argo-rollouts", version: "2.40.5" }),
});

const monitoringSchema = z.strictObject({
  /** install: kube-prometheus-stack; external: an existing Prometheus at prometheusUrl; preinstalled: Prometheus Operator CRDs present. */
  mode: z.enum(["install", "external", "preinstalled", "disabled"]).default("disabled"),
  namespace: dnsLabel.default("monitoring"),
  chart: chartSourceSchema.default({ kind: "repository", repository: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "79.5.0" }),
  /** URL of the Prometheus the metrics adapter queries (required for mode external). */
  prometheusUrl: z.string().regex(/^https?:\/\//, "must be an http(s) URL").optional(),
});

const metricsAdapterSchema = z.strictObject({
  mode: addonMode.default("disabled"),
  namespace: dnsLabel.default("monitoring"),
  chart: chartSourceSchema.default({ kind: "repository", repository: "https://prometheus-community.github.io/helm-charts", chart: "prometheus-adapter", version: "5.2.0" }),
});

const kindTarget = z.strictObject({
  /** Kind cluster name. */
  name: dnsLabel.default("atlas"),
  /** Worker nodes besides the control plane. */
  workers: z.number().int().min(0).max(10).default(1),
  /** kindest/node image, pinned by digest. */
  nodeImage: digestRef.default("kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a"),
  /** Host port of the local registry the nodes pull built images from. */
  registryPort: z.number().int().min(1024).max(65535).default(5001),
  /** Host directory backing the node-local SSD profile (mounted into every worker). */
  ssdHostPath: z.string().min(1).default("/mnt/atlas-ssd"),
  /** Local PersistentVolumes created per worker for the node-local SSD profile. */
  ssdVolumesPerNode: z.number().int().min(1).max(16).default(2),
});

const kubeconfigTarget = z.strictObject({
  /** Path of the kubeconfig file (default: $KUBECONFIG or ~/.kube/config as kubectl resolves it). */
  path: z.string().min(1).optional(),
  /** Context to use (default: the file's current context). */
  context: z.string().min(1).optional(),
});

const renderTarget = z.strictObject({
  /** Directory the manifests are written to, relative to the project (default rendered/<stack>). */
  directory: z.string().min(1).optional(),
});

const clusterSchema = z
  .strictObject({
    /** kind: a Kind cluster this stack creates; kubeconfig: an existing cluster; render: no cluster, manifests to a directory. */
    target: z.enum(["kind", "kubeconfig", "render"]),
    kind: kindTarget.default(kindTarget.parse({})),
    kubeconfig: kubeconfigTarget.default({}),
    render: renderTarget.default({}),
  });

const imageSchema = z.discriminatedUnion("source", [
  z.strictObject({
    source: z.literal("build"),
    /** Path of the bijux-atlas source checkout (the build context), relative to the project. */
    context: z.string().min(1),
    /** Repository the built image is pushed to (default: the Kind cluster's local registry). */
    repository: z.string().min(1).optional(),
    platform: z.enum(["linux/amd64", "linux/arm64"]).default("linux/amd64"),
    /** Build arguments of docker/Dockerfile (e.g. ATLAS_BIN). */
    buildArgs: z.record(z.string(), z.string()).default({}),
    /** Images to use as build cache. */
    cacheFrom: z.array(z.string()).default([]),
  }),
  z.strictObject({
    source: z.literal("pinned"),
    /** repository[:tag]@sha256:<digest>; nothing is built. */
    ref: digestRef,
  }),
]);

const egressRule = z.strictObject({
  cidr,
  ports: z.array(z.strictObject({ port: z.number().int().min(1).max(65535), protocol: z.enum(["TCP", "UDP", "SCTP"]).default("TCP") })).min(1, "each egress CIDR needs at least one explicit port"),
});

const resourceList = z.strictObject({ cpu, memory: quantity, "ephemeral-storage": quantity });

export const stackConfigSchema = z
  .strictObject({
    cluster: clusterSchema,
    image: imageSchema,
    /** Namespace of the atlas release (created with Pod Security admission "restricted"). */
    namespace: dnsLabel.default("bijux-atlas"),
    /** Helm release name. */
    releaseName: dnsLabel.default("atlas"),
    /** Chart values profile layered on values.yaml. */
    profile: z.enum(["default", "offline", "node-local-ssd", "kind"]).default("default"),
    server: z
      .strictObject({
        replicas: z.number().int().min(1).optional(),
        logLevel: z.enum(["error", "warn", "info", "debug", "trace"]).optional(),
        catalogUrl: z.string().regex(/^https?:\/\//, "must be an http(s) URL").optional(),
        cachedOnlyMode: z.boolean().optional(),
      })
      .default({}),
    store: z
      .strictObject({
        endpoint: z.string().regex(/^https?:\/\//, "must be an http(s) URL").optional(),
        bucket: z.string().min(1).optional(),
        region: z.string().min(1).optional(),
        /** Existing Secret with ATLAS_STORE_ACCESS_KEY / ATLAS_STORE_SECRET_KEY (instead of atlas:storeAccessKey/storeSecretKey). */
        existingSecret: dnsLabel.optional(),
      })
      .default({}),
    /** Store access key; set with `pulumi config set --secret`. */
    storeAccessKey: z.string().min(1).optional(),
    /** Store secret key; set with `pulumi config set --secret`. */
    storeSecretKey: z.string().min(1).optional(),
    cache: z
      .strictObject({
        diskSize: quantity.optional(),
        maxDiskBytes: z.number().int().positive().optional(),
        tmpSize: quantity.optional(),
        prewarm: z.boolean().optional(),
        pinnedDatasets: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/@:-]*$/, "must be a dataset id like GRCh38/release-112")).optional(),
      })
      .default({}),
    concurrency: z.strictObject({ cheap: z.number().int().positive(), medium: z.number().int().positive(), heavy: z.number().int().positive() }).optional(),
    resources: z.strictObject({ requests: resourceList, limits: resourceList }).optional(),
    hpa: z
      .strictObject({
        enabled: z.boolean().default(true),
        minReplicas: z.number().int().min(1).default(2),
        maxReplicas: z.number().int().min(1).default(10),
        cpuUtilization: z.number().int().min(1).max(100).default(70),
        latencyP95Seconds: z.string().regex(/^[0-9]+(\.[0-9]+)?m?$/, "must be a quantity like 500m (0.5 s)").default("500m"),
        inflightHeavyQueries: z.string().regex(/^[0-9]+(\.[0-9]+)?m?$/, "must be a quantity like 4").default("4"),
      })
      .refine((h) => h.minReplicas <= h.maxReplicas, { message: "minReplicas must not exceed maxReplicas", path: ["minReplicas"] })
      .default({ enabled: true, minReplicas: 2, maxReplicas: 10, cpuUtilization: 70, latencyP95Seconds: "500m", inflightHeavyQueries: "4" }),
    egress: z
      .strictObject({
        /** DNS egress to kube-system. */
        dns: z.boolean().default(true),
        /** Explicit allowlist of catalog/store endpoints. */
        cidrs: z.array(egressRule).default([]),
      })
      .default({ dns: true, cidrs: [] }),
    rollout: z
      .strictObject({
        /** Canary through an Argo Rollout instead of the Deployment. */
        enabled: z.boolean().default(false),
        steps: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
      })
      .default({ enabled: false }),
    serviceMonitor: z.boolean().default(true),
    datasetWarmupJob: z.boolean().default(false),
    addons: z
      .strictObject({
        argoRollouts: argoRolloutsSchema.default(argoRolloutsSchema.parse({})),
        monitoring: monitoringSchema.default(monitoringSchema.parse({})),
        metricsAdapter: metricsAdapterSchema.default(metricsAdapterSchema.parse({})),
      })
      .default({
        argoRollouts: argoRolloutsSchema.parse({}),
        monitoring: monitoringSchema.parse({}),
        metricsAdapter: metricsAdapterSchema.parse({}),
      }),
  })
  .superRefine((c, ctx) => {
    if (c.image.source === "build" && c.cluster.target === "render") {
      ctx.addIssue({ code: "custom", path: ["image", "source"], message: "an image build needs a cluster to reach it; use source: pinned with the render target" });
    }
    if ((c.storeAccessKey === undefined) !== (c.storeSecretKey === undefined)) {
      ctx.addIssue({ code: "custom", path: [c.storeAccessKey === undefined ? "storeAccessKey" : "storeSecretKey"], message: "storeAccessKey and storeSecretKey are set together" });
    }
    if (c.storeAccessKey !== undefined && c.store.existingSecret !== undefined) {
      ctx.addIssue({ code: "custom", path: ["store", "existingSecret"], message: "use either store.existingSecret or storeAccessKey/storeSecretKey, not both" });
    }
    if (c.rollout.enabled && c.addons.argoRollouts.mode === "disabled") {
      ctx.addIssue({ code: "custom", path: ["addons", "argoRollouts", "mode"], message: "rollout.enabled needs Argo Rollouts: set mode install or preinstalled" });
    }
    if (c.serviceMonitor && c.addons.monitoring.mode === "disabled") {
      ctx.addIssue({ code: "custom", path: ["addons", "monitoring", "mode"], message: "serviceMonitor needs the Prometheus Operator CRDs: set mode install, preinstalled or external, or serviceMonitor: false" });
    }
    if (c.hpa.enabled && c.addons.metricsAdapter.mode === "disabled") {
      ctx.addIssue({ code: "custom", path: ["addons", "metricsAdapter", "mode"], message: "the HPA's custom metrics need the metrics adapter: set mode install or preinstalled, or hpa.enabled: false" });
    }
    if (c.addons.metricsAdapter.mode === "install" && c.addons.monitoring.mode === "disabled") {
      ctx.addIssue({ code: "custom", path: ["addons", "monitoring", "mode"], message: "the metrics adapter needs a Prometheus: set mode install, external or preinstalled" });
    }
    if (c.addons.monitoring.mode === "external" && !c.addons.monitoring.prometheusUrl) {
      ctx.addIssue({ code: "custom", path: ["addons", "monitoring", "prometheusUrl"], message: "required when mode is external" });
    }
    if (c.cache.prewarm === true && !(c.cache.pinnedDatasets?.length || c.profile === "offline")) {
      ctx.addIssue({ code: "custom", path: ["cache", "pinnedDatasets"], message: "prewarm needs at least one pinned dataset" });
    }
  });

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type ClusterConfig = StackConfig["cluster"];
export type ImageConfig = StackConfig["image"];
export type AddonsConfig = StackConfig["addons"];

/** Config keys that must be set as secrets. */
export const secretKeys = ["storeAccessKey", "storeSecretKey"] as const;
