/**
 * The atlas chart's values: the single source of their types, defaults and documentation.
 * charts/bijux-atlas/values.schema.json and values.yaml are generated from this schema
 * (`npm run generate`), and the stack config embeds these same sections under the same names,
 * so building the chart values from a stack is spreading, not renaming. Each description says
 * which server setting a value becomes (the chart README's mapping table has the why).
 */
import { z } from "zod";
import { env, extraEnvKeys } from "../contract/env";
import { defaultPort, httpPortName, metricsPath, minimumUnprivilegedPort, paths, probePaths } from "../contract/pod";
import { inflightHeavy, latencyP95 } from "../contract/metrics";
import { atlasName, atlasNameLabel } from "../contract/labels";
import { broadEgressLimit, dns } from "../contract/network";
import { imageBinaries, serverVersion } from "../contract/server";
import {
  cpuQuantity,
  datasetId,
  dnsLabel,
  imageRepository,
  imageTag,
  intOrPercent,
  labelKey,
  metricQuantity,
  narrowCidr,
  optionalDnsLabel,
  optionalStoreUrl,
  promDuration,
  storageQuantity,
  strict,
  uniqueList,
} from "./primitives";
import { describeRefusedTags, patterns } from "../contract/grammar";

/** The fail-closed image digest placeholder: pinned, so nothing unreviewed is pulled, and never pullable. */
export const placeholderDigest = `sha256:${"0".repeat(64)}`;

const probe = (period: number, failureThreshold: number, what: string) =>
  strict({
    periodSeconds: z.number().int().min(1).default(period).describe("Seconds between probes."),
    timeoutSeconds: z.number().int().min(1).default(5).describe("Seconds before a probe times out."),
    failureThreshold: z.number().int().min(1).default(failureThreshold).describe("Failures in a row before the probe gives up."),
  })
    .prefault({})
    .describe(what);

const stringMap = z.record(z.string(), z.string());

export const imageValues = strict({
  repository: imageRepository.default("ghcr.io/bijux/bijux-atlas").describe("Image repository of the server (docker/Dockerfile)."),
  tag: z
    .union([z.literal(""), imageTag], { error: `a Docker tag other than ${describeRefusedTags()}, or ""` })
    .default(serverVersion)
    .describe(`Tag, rendered as repository:tag@digest when a digest is set too; refused: ${describeRefusedTags()}.`),
  digest: z
    .union([z.literal(""), z.string().regex(new RegExp(patterns.imageDigest))], { error: 'an image digest sha256:<64 hex>, or ""' })
    .default(placeholderDigest)
    .describe("Image digest. The all-zero default pins and fails closed: pods do not start until the release pipeline sets the published digest."),
  pullPolicy: z.enum(["IfNotPresent", "Always", "Never"]).default("IfNotPresent").describe("imagePullPolicy."),
})
  .prefault({})
  .describe(`The server image; it holds both pinned binaries (${imageBinaries.server}, ${imageBinaries.cli}).`);

export const serviceAccountValues = strict({
  create: z.boolean().default(true).describe("Create a ServiceAccount for the atlas pods."),
  name: optionalDnsLabel.default("").describe("Name of the ServiceAccount (default: the fullname); must exist when create is false."),
  automountServiceAccountToken: z.boolean().default(false).describe("The server never calls the Kubernetes API, so no token is mounted."),
  annotations: stringMap.default({}).describe("Annotations on the ServiceAccount (e.g. a cloud workload identity)."),
}).prefault({});

export const serverValues = strict({
  replicas: z.number().int().min(1).default(2).describe("Replicas when the HPA is disabled (the HPA owns the count otherwise)."),
  port: z
    .number()
    .int()
    .min(minimumUnprivilegedPort)
    .max(65535)
    .default(defaultPort)
    .describe(`Container and Service port (named ${httpPortName}): ${env.bind}=0.0.0.0:<port>. At least ${minimumUnprivilegedPort}: the server runs without capabilities.`),
  logLevel: z.enum(["error", "warn", "info", "debug", "trace"]).default("info").describe(`${env.logLevel}.`),
  cachedOnlyMode: z
    .boolean()
    .default(false)
    .describe(`${env.cachedOnlyMode}: serve only datasets already in ${paths.cache}, never fetch; readiness then no longer waits for the catalog (${env.readinessRequiresCatalog}=false).`),
  sequence: strict({
    maxBases: z.number().int().min(1).default(100000).describe(`${env.maxSequenceBases}: longest sequence one request may fetch.`),
    apiKeyRequiredBases: z.number().int().min(1).default(10000).describe(`${env.sequenceApiKeyRequiredBases}: requests this long or longer need an API key.`),
    ttlMs: z.number().int().min(1).default(300000).describe(`${env.sequenceTtlMs}: cache lifetime of sequence responses, in milliseconds.`),
    rateLimitCapacity: z.number().positive().default(20).describe(`${env.sequenceRateLimitCapacity}: token-bucket capacity per client address.`),
    rateLimitRefillPerSec: z.number().positive().default(5).describe(`${env.sequenceRateLimitRefillPerSec}: tokens added per second.`),
  })
    .prefault({})
    .describe("Sequence endpoint limits."),
  shutdownDrainSeconds: z
    .number()
    .int()
    .min(0)
    .default(10)
    .describe(`${env.shutdownDrainMs} (in seconds here): on SIGTERM the server refuses new heavy work and drains for this long; must be shorter than terminationGracePeriodSeconds.`),
  terminationGracePeriodSeconds: z.number().int().min(1).default(30).describe("Seconds a pod gets between SIGTERM and SIGKILL."),
  startupProbe: probe(10, 90, `startupProbe on ${probePaths.startup}: a long budget (period x failureThreshold) for cold starts, the start-up jitter and the warm-up, all before the server listens.`),
  readinessProbe: probe(10, 3, `readinessProbe on ${probePaths.readiness}: the pod leaves the Service endpoints when the catalog is unreadable (unless cached-only) or the server loop is unhealthy.`),
  livenessProbe: probe(20, 3, `livenessProbe on ${probePaths.liveness}: only restarts wedged processes.`),
  extraConfig: z
    .partialRecord(
      z.enum(extraEnvKeys as [string, ...string[]], { error: "a key of the pinned server's env allowlist that the chart does not set itself and that is not a credential" }),
      z.union([z.string(), z.number(), z.boolean()]),
      { error: (issue) => (String(issue.code) === "unrecognized_keys" ? "keys of the pinned server's env allowlist that the chart does not set itself and that are not credentials (contract/serverEnvAllowlist.generated.ts)" : undefined) },
    )
    .default({})
    .describe("Extra runtime settings: ATLAS_* keys of the pinned server's env allowlist, added to the ConfigMap. Keys the chart sets and credentials are refused."),
  podAnnotations: stringMap.default({}).describe("Extra annotations on atlas pods."),
  podLabels: stringMap.default({}).describe("Extra labels on atlas pods (the chart's own labels win)."),
  nodeSelector: stringMap.default({}).describe("Node selector of atlas pods."),
  tolerations: z.array(z.record(z.string(), z.unknown())).default([]).describe("Tolerations of atlas pods."),
  affinity: z.record(z.string(), z.unknown()).default({}).describe("Affinity of atlas pods."),
  topologySpreadConstraints: z.array(z.record(z.string(), z.unknown())).default([]).describe("Topology spread constraints of atlas pods."),
  priorityClassName: z.string().default("").describe("PriorityClass of atlas pods."),
})
  .prefault({})
  .describe("The server process and its pods.");

export const storeValues = strict({
  url: optionalStoreUrl
    .default("")
    .describe(`Base URL of the dataset store (catalog.json and the releases): ${env.storeS3Enabled}=true, ${env.storeS3BaseUrl}. Its address must be allowed in networkPolicy.egressCidrs.`),
  existingClaim: optionalDnsLabel
    .default("")
    .describe(`A PersistentVolumeClaim holding the store tree, mounted read-only at ${paths.store}: ${env.storeRoot}=${paths.store}. The Jobs read (warm-up) and write (catalog publish) the store here.`),
  allowPrivateHosts: z
    .boolean()
    .default(false)
    .describe(`${env.allowPrivateStoreHosts}: the server refuses a store URL whose host is a private or loopback address unless this is true.`),
  credentials: strict({
    create: z.boolean().default(false).describe(`Create a Secret holding the bearer token under ${env.storeBearer}. Prefer existingSecret in production so the token never passes through Helm values.`),
    bearerToken: z.string().default("").describe("The store's bearer token (only with create: true). The server's only store credential: it sends `Authorization: Bearer <token>` (it has no SigV4)."),
    existingSecret: optionalDnsLabel.default("").describe(`An existing Secret with the key ${env.storeBearer}.`),
  })
    .prefault({})
    .describe("Store credentials, only ever through a Secret."),
})
  .prefault({})
  .describe("Where the dataset releases and catalog.json live: url (HTTP/S3-like), or existingClaim (a mounted store), or neither in cached-only mode.");

export const cacheValues = strict({
  diskSize: storageQuantity.default("8Gi").describe(`sizeLimit of the ${paths.cache} emptyDir; with the ephemeral-storage limit it bounds what kubelet evicts on.`),
  maxDiskBytes: z
    .number()
    .int()
    .min(1)
    .default(7516192768)
    .describe(`${env.maxDiskBytes}: the server's own cache cap; at most the size of the ${paths.cache} volume.`),
  tmpSize: storageQuantity.default("1Gi").describe(`sizeLimit of the ${paths.tmp} emptyDir.`),
  existingClaim: optionalDnsLabel
    .default("")
    .describe(`Mount ${paths.cache} from this PersistentVolumeClaim instead of an emptyDir: a cache that outlives pods, e.g. seeded for cached-only serving on air-gapped sites.`),
  initPrewarm: strict({
    enabled: z
      .boolean()
      .default(false)
      .describe(`Fetch cache.pinnedDatasets into ${paths.cache} before the pod serves: the server's start-up warm-up (${env.startupWarmup}), which runs before it listens, gated by the startupProbe.`),
  }).prefault({}),
  pinnedDatasets: uniqueList(datasetId, "dataset ids")
    .default([])
    .describe(`${env.pinnedDatasets}: datasets kept hot (never evicted), as release/species/assembly, e.g. 112/homo_sapiens/GRCh38; the warm-up and the warm-up Job's targets.`),
  warmupJitterSeconds: z
    .number()
    .int()
    .min(0)
    .default(15)
    .describe(`${env.startupWarmupJitterMaxMs} (in seconds here): the server waits up to this long (a delay derived from the pod name) before warm-up and listening, so replicas do not fetch in lockstep.`),
})
  .prefault({})
  .describe(`The dataset cache (${paths.cache}) and scratch space (${paths.tmp}).`);

export const concurrencyValues = strict({
  heavy: z
    .number()
    .int()
    .min(1)
    .default(8)
    .describe(`${env.heavyWorkerPoolSize}: concurrent heavy queries (range scans, prefix searches); the server's cheap and medium classes are fixed at 128 and 64.`),
  queueDepth: z
    .number()
    .int()
    .min(1)
    .default(256)
    .describe(`${env.maxRequestQueueDepth}: requests in flight on the data routes before the server sheds with 429.`),
})
  .prefault({})
  .describe("Concurrency caps; tune together with the HPA targets.");

const resourceList = (cpu: string, memory: string, ephemeral: string) =>
  strict({
    cpu: cpuQuantity.default(cpu),
    memory: storageQuantity.default(memory),
    "ephemeral-storage": storageQuantity.default(ephemeral),
  }).prefault({});

export const resourcesValues = strict({
  requests: resourceList("500m", "512Mi", "2Gi").describe("Requests (default 500m CPU, 512Mi memory)."),
  limits: resourceList("2000m", "2Gi", "10Gi").describe(`Limits (default 2000m CPU, 2Gi memory). The ${paths.cache} and ${paths.tmp} emptyDir size limits must fit the ephemeral-storage limit.`),
})
  .prefault({})
  .describe("Requests and limits of the server container; ephemeral-storage aligns kubelet eviction with the cache policy.");

export const serviceValues = strict({
  type: z.enum(["ClusterIP", "NodePort", "LoadBalancer"]).default("ClusterIP").describe("Service type."),
  annotations: stringMap.default({}).describe("Extra Service annotations."),
}).prefault({});

const egressPort = strict({
  port: z.number().int().min(1).max(65535),
  protocol: z.enum(["TCP", "UDP", "SCTP"]).default("TCP"),
});

export const networkPolicyValues = strict({
  enabled: z.boolean().default(true).describe("Render the NetworkPolicy: deny egress except the rules below."),
  dns: strict({
    enabled: z.boolean().default(true).describe(`Allow DNS (${dns.protocols.join(" and ")} ${dns.port}) to ${dns.namespace}.`),
  }).prefault({}),
  egressCidrs: z
    .array(strict({ cidr: narrowCidr, ports: z.array(egressPort).min(1, "at least one explicit port per CIDR") }))
    .default([])
    .describe(`Explicit egress allowlist for the store: [{cidr: 10.20.0.0/16, ports: [{port: 443}]}]. Together at most ${broadEgressLimit} of addresses (the contract's broad-egress limit); none at all in cached-only mode.`),
  ingress: strict({
    monitoringNamespace: dnsLabel.default("monitoring").describe(`Namespace of the Prometheus that scrapes ${metricsPath}; allowed in on the service port.`),
  }).prefault({}),
})
  .prefault({})
  .describe("Default-deny egress.");

export const hpaValues = strict({
  enabled: z.boolean().default(true).describe("Render the HorizontalPodAutoscaler (needs the custom metrics adapter for the two Pods metrics)."),
  minReplicas: z.number().int().min(1).default(2).describe("Lower bound of replicas."),
  maxReplicas: z.number().int().min(1).default(10).describe("Upper bound of replicas."),
  cpuUtilization: z.number().int().min(1).max(100).default(70).describe("Target average CPU utilisation, percent of requests."),
  latencyP95Seconds: metricQuantity.default("500m").describe(`Target of ${latencyP95.name} per pod (the slowest query route's p95), as a quantity: 500m is 0.5 s.`),
  inflightHeavyQueries: metricQuantity.default("4").describe(`Target average of ${inflightHeavy.name} per pod.`),
})
  .prefault({})
  .describe("Autoscaling on CPU, p95 latency and heavy queries in flight.");

export const pdbValues = strict({
  enabled: z.boolean().default(true).describe("Render the PodDisruptionBudget."),
  minAvailable: intOrPercent.default(1).describe("minAvailable (integer or percentage); ignored when maxUnavailable is set."),
  maxUnavailable: intOrPercent.nullable().default(null).describe("maxUnavailable (integer or percentage); wins over minAvailable when set."),
}).prefault({});

export const serviceMonitorValues = strict({
  enabled: z.boolean().default(true).describe("Render the ServiceMonitor (needs the Prometheus Operator CRDs)."),
  interval: promDuration.default("30s").describe("Scrape interval."),
  scrapeTimeout: promDuration.default("10s").describe("Scrape timeout."),
  labels: stringMap.default({}).describe("Extra labels, e.g. what an existing Prometheus selects ServiceMonitors by."),
}).prefault({});

const rolloutDuration = z.union([z.string().regex(new RegExp(patterns.rolloutDuration)), z.number().int().min(0)], { error: "a duration such as 5m, or seconds" });
const canaryStep = z.union(
  [
    strict({ setWeight: z.number().int().min(0).max(100) }),
    strict({ pause: strict({ duration: rolloutDuration.optional() }) }),
    strict({ setCanaryScale: z.record(z.string(), z.unknown()) }),
    strict({ analysis: z.record(z.string(), z.unknown()) }),
  ],
  { error: "a canary step: {setWeight: 0-100}, {pause: {duration: 5m}} or {pause: {}}, {setCanaryScale: {...}} or {analysis: {...}}" },
);

export const rolloutValues = strict({
  enabled: z.boolean().default(false).describe("Deploy through an Argo Rollouts canary instead of a Deployment (needs the Argo Rollouts CRDs and controller)."),
  steps: z
    .array(canaryStep)
    .min(1, "at least one step")
    .default([{ setWeight: 10 }, { pause: { duration: "5m" } }, { setWeight: 50 }, { pause: { duration: "10m" } }])
    .describe("Canary steps (Argo Rollouts CanaryStep objects)."),
  revisionHistoryLimit: z.number().int().min(0).default(3).describe("Old ReplicaSets kept for rollback."),
}).prefault({});

const jobResources = (requests: [string, string, string], limits: [string, string, string]) =>
  strict({
    requests: resourceList(...requests),
    limits: resourceList(...limits),
  }).prefault({});

/**
 * What the warm-up smoke runs against each pinned dataset when no queries are given: the first
 * gene. A query without a filter is a table scan, which the server refuses unless allowed.
 */
export const defaultGoldenQueries = [{ name: "first_gene", query: { limit: 1, allow_full_scan: true } }];

export const datasetWarmupJobValues = strict({
  enabled: z.boolean().default(false).describe("Render a Job that runs `bijux-atlas smoke` for each of cache.pinnedDatasets against the store claim (store.existingClaim), mounted writable: the smoke opens the datasets' SQLite files read-write."),
  goldenQueries: z
    .array(strict({ name: z.string().min(1), query: z.record(z.string(), z.unknown()) }))
    .min(1)
    .default(defaultGoldenQueries)
    .describe("Queries the smoke runs on each dataset ({name, query} as `bijux-atlas smoke --golden-queries` reads them)."),
  backoffLimit: z.number().int().min(0).default(2).describe("Retries before the Job fails."),
  activeDeadlineSeconds: z.number().int().min(1).default(1800).describe("Deadline of the Job in seconds."),
  resources: jobResources(["100m", "128Mi", "256Mi"], ["500m", "256Mi", "2Gi"]).describe("Requests and limits of the warm-up containers (cache.tmpSize must fit the ephemeral-storage limit)."),
}).prefault({});

export const catalogPublishJobValues = strict({
  enabled: z.boolean().default(false).describe("Render the catalog publish Job template: `bijux-atlas catalog promote` of one dataset into the store claim's catalog.json (controlled publish pipelines, never per request)."),
  dataset: z.union([z.literal(""), datasetId]).default("").describe("The dataset the Job promotes, as release/species/assembly."),
  suspend: z.boolean().default(true).describe("Create the Job suspended; the pipeline unsuspends it when it is time to publish."),
  backoffLimit: z.number().int().min(0).default(0).describe("Retries before the Job fails (publishing is not blindly retried)."),
  activeDeadlineSeconds: z.number().int().min(1).default(3600).describe("Deadline of the Job in seconds."),
  resources: jobResources(["500m", "512Mi", "1Gi"], ["2000m", "2Gi", "4Gi"]).describe("Requests and limits of the publish container (cache.tmpSize must fit the ephemeral-storage limit)."),
}).prefault({});

export const nodeLocalSsdProfileValues = strict({
  enabled: z.boolean().default(false).describe(`Mount ${paths.cache} on node-local SSD: a per-pod claim (generic ephemeral volume) of a local StorageClass, bound to node-local PersistentVolumes; ${paths.tmp} stays a bounded emptyDir.`),
  storageClassName: dnsLabel.default("atlas-local-ssd").describe("StorageClass of the node-local PersistentVolumes (kubernetes.io/no-provisioner, WaitForFirstConsumer)."),
  size: storageQuantity.default("100Gi").describe("Size claimed per pod; cache.maxDiskBytes must fit in it."),
  nodeLabel: labelKey.default("bijux.io/local-ssd").describe('Label (value "true") of the nodes that have the SSD; atlas pods select it.'),
}).prefault({});

/** Every chart section, by its values key. */
export const chartSections = {
  fullnameOverride: z
    .union([z.literal(""), dnsLabel], { error: 'a DNS label, or "" for the generated name' })
    .default("")
    .describe(`Overrides the generated fullname ("<release>-${atlasName}", or the release name when it contains "${atlasName}"). The ${atlasNameLabel} label stays ${atlasName}: policy and selectors recognise atlas pods by it.`),
  image: imageValues,
  imagePullSecrets: z.array(dnsLabel).default([]).describe("Secrets used to pull the image, by name."),
  serviceAccount: serviceAccountValues,
  server: serverValues,
  store: storeValues,
  cache: cacheValues,
  concurrency: concurrencyValues,
  resources: resourcesValues,
  service: serviceValues,
  networkPolicy: networkPolicyValues,
  hpa: hpaValues,
  pdb: pdbValues,
  serviceMonitor: serviceMonitorValues,
  rollout: rolloutValues,
  datasetWarmupJob: datasetWarmupJobValues,
  catalogPublishJob: catalogPublishJobValues,
  nodeLocalSsdProfile: nodeLocalSsdProfileValues,
};

export type ChartSection = keyof typeof chartSections;

/** The chart's values, whole: unknown keys refused. */
export const chartValuesSchema = strict(chartSections);

export type ChartValues = z.output<typeof chartValuesSchema>;
export type ChartValuesInput = z.input<typeof chartValuesSchema>;

