/**
 * The values handed to charts/bijux-atlas, computed from the validated stack config. Keys and
 * shapes follow the chart's values.yaml; every key the config governs is set explicitly, so the
 * deployment does not depend on chart defaults changing underneath it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../config/schema";

/** An image reference split the way the chart takes it. */
export interface ImageParts {
  repository: string;
  tag: string;
  digest: string;
}

/** Splits repository[:tag]@sha256:<hex>; throws on anything not pinned by digest. */
export function splitImageRef(ref: string): ImageParts {
  const match = /^(.+?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?@(sha256:[a-f0-9]{64})$/.exec(ref);
  if (!match || match[1].endsWith("/")) throw new Error(`image reference ${JSON.stringify(ref)} is not pinned by digest (repository[:tag]@sha256:<64 hex>)`);
  return { repository: match[1], tag: match[2] ?? "", digest: match[3] };
}

/** The chart's fullname for a release (its `bijux-atlas.fullname` named template): the Service and workload name. */
export function atlasFullname(releaseName: string): string {
  const name = releaseName.includes("bijux-atlas") ? releaseName : `${releaseName}-bijux-atlas`;
  return name.slice(0, 63).replace(/-+$/, "");
}

/** Inputs of {@link atlasChartValues} that are not plain config. */
export interface ValueInputs {
  /** The image, split; Inputs because a built image's digest is known only after the build. */
  image: { repository: pulumi.Input<string>; tag: pulumi.Input<string>; digest: pulumi.Input<string> };
  /** Store keys as secret Outputs, when the chart creates the Secret. */
  credentials?: { accessKey: pulumi.Input<string>; secretKey: pulumi.Input<string> };
  /** Namespace of the Prometheus that scrapes the pods. */
  monitoringNamespace: string;
}

export function atlasChartValues(c: StackConfig, inputs: ValueInputs): Record<string, unknown> {
  const credentials = inputs.credentials
    ? { create: true, accessKey: inputs.credentials.accessKey, secretKey: inputs.credentials.secretKey, existingSecret: "" }
    : { create: false, existingSecret: c.store.credentials?.existingSecret ?? "" };
  return {
    image: { ...inputs.image, pullPolicy: c.image.pullPolicy },
    imagePullSecrets: c.image.pullSecrets,
    server: {
      replicas: c.server.replicas,
      port: c.server.port,
      logLevel: c.server.logLevel,
      cachedOnlyMode: c.server.cachedOnlyMode,
      catalogUrl: c.server.catalogUrl ?? "",
      sequence: c.server.sequence,
      startupProbe: c.server.startupProbe,
      readinessProbe: c.server.readinessProbe,
      livenessProbe: c.server.livenessProbe,
      extraConfig: c.server.extraConfig,
    },
    store: {
      endpoint: c.store.endpoint ?? "",
      bucket: c.store.bucket ?? "",
      region: c.store.region ?? "",
      credentials,
    },
    cache: {
      diskSize: c.cache.diskSize,
      maxDiskBytes: c.cache.maxDiskBytes,
      tmpSize: c.cache.tmpSize,
      initPrewarm: { enabled: c.cache.prewarm },
      pinnedDatasets: c.cache.pinnedDatasets,
      warmupJitterSeconds: c.cache.warmupJitterSeconds,
    },
    concurrency: c.concurrency,
    resources: c.resources,
    networkPolicy: {
      enabled: c.networkPolicy.enabled,
      dns: { enabled: c.networkPolicy.dns },
      egressCidrs: c.networkPolicy.egressCidrs,
      ingress: { monitoringNamespace: inputs.monitoringNamespace },
    },
    hpa: c.hpa,
    pdb: { enabled: c.pdb.enabled, minAvailable: c.pdb.minAvailable },
    serviceMonitor: c.serviceMonitor,
    rollout: { enabled: c.canary.enabled, steps: c.canary.steps },
    datasetWarmupJob: { enabled: c.datasetWarmupJob.enabled },
    catalogPublishJob: { enabled: c.catalogPublishJob.enabled, args: c.catalogPublishJob.args },
    nodeLocalSsdProfile: {
      enabled: c.nodeLocalSsd.enabled,
      storageClassName: c.nodeLocalSsd.storageClassName,
      size: c.nodeLocalSsd.size,
      nodeSelector: c.nodeLocalSsd.enabled ? { [c.nodeLocalSsd.nodeLabel]: "true" } : {},
    },
  };
}
