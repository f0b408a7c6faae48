import type { StackConfig } from "../config/schema";

/** Values file of each chart profile (relative to the chart), layered on values.yaml. */
export const profileValuesFiles: Record<StackConfig["profile"], string[]> = {
  default: [],
  offline: ["values-offline.yaml"],
  "node-local-ssd": ["values-node-local-ssd.yaml"],
  kind: ["values-kind.yaml"],
};

/** Splits repository[:tag]@sha256:digest into the chart's image values. */
export function imageValues(ref: string): { repository: string; tag: string; digest: string } {
  const m = /^(.+?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?@(sha256:[a-f0-9]{64})$/.exec(ref);
  if (!m) throw new Error(`image reference ${JSON.stringify(ref)} is not pinned by digest (repository[:tag]@sha256:<64 hex>)`);
  return { repository: m[1], tag: m[2] ?? "", digest: m[3] };
}

/** Drops undefined members (helm would read a null as "delete the default"), recursively. */
function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(defined) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const d = defined(v);
    if (d !== null && typeof d === "object" && !Array.isArray(d) && Object.keys(d).length === 0) continue;
    out[k] = d;
  }
  return out as T;
}

export interface StoreCredentials {
  accessKey: string;
  secretKey: string;
}

/**
 * The atlas chart values this stack sets on top of the profile's values file: only what the
 * operator configured, so the chart's documented defaults stay in force for everything else.
 */
export function atlasChartValues(config: StackConfig, imageRef: string, credentials?: StoreCredentials): Record<string, unknown> {
  const c = config;
  return defined({
    image: imageValues(imageRef),
    server: {
      replicas: c.server.replicas,
      logLevel: c.server.logLevel,
      catalogUrl: c.server.catalogUrl,
      cachedOnlyMode: c.server.cachedOnlyMode,
    },
    store: {
      endpoint: c.store.endpoint,
      bucket: c.store.bucket,
      region: c.store.region,
      credentials: credentials
        ? { create: true, accessKey: credentials.accessKey, secretKey: credentials.secretKey }
        : c.store.existingSecret
          ? { create: false, existingSecret: c.store.existingSecret }
          : undefined,
    },
    cache: {
      diskSize: c.cache.diskSize,
      maxDiskBytes: c.cache.maxDiskBytes,
      tmpSize: c.cache.tmpSize,
      initPrewarm: c.cache.prewarm === undefined ? undefined : { enabled: c.cache.prewarm },
      pinnedDatasets: c.cache.pinnedDatasets,
    },
    concurrency: c.concurrency,
    resources: c.resources,
    hpa: c.hpa,
    networkPolicy: { dns: { enabled: c.egress.dns }, egressCidrs: c.egress.cidrs },
    rollout: { enabled: c.rollout.enabled, steps: c.rollout.steps },
    serviceMonitor: { enabled: c.serviceMonitor },
    datasetWarmupJob: { enabled: c.datasetWarmupJob },
  });
}
