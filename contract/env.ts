/**
 * The server's runtime configuration keys the chart renders, by what they mean. Names are the
 * pinned server's (its env allowlist is serverEnvAllowlist.generated.ts, generated from the
 * runtime crate); the contract's intents map onto them as the chart's README table says.
 */
import { patterns } from "./grammar";
import { serverEnvAllowlist, serverEnvDevAllowUnknown } from "./serverEnvAllowlist.generated";

export const env = {
  bind: "ATLAS_BIND",
  logLevel: "ATLAS_LOG_LEVEL",
  cacheRoot: "ATLAS_CACHE_ROOT",
  maxDiskBytes: "ATLAS_MAX_DISK_BYTES",
  cachedOnlyMode: "ATLAS_CACHED_ONLY_MODE",
  readinessRequiresCatalog: "ATLAS_READINESS_REQUIRES_CATALOG",
  storeRoot: "ATLAS_STORE_ROOT",
  storeS3Enabled: "ATLAS_STORE_S3_ENABLED",
  storeS3BaseUrl: "ATLAS_STORE_S3_BASE_URL",
  allowPrivateStoreHosts: "ATLAS_ALLOW_PRIVATE_STORE_HOSTS",
  pinnedDatasets: "ATLAS_PINNED_DATASETS",
  startupWarmup: "ATLAS_STARTUP_WARMUP",
  startupWarmupJitterMaxMs: "ATLAS_STARTUP_WARMUP_JITTER_MAX_MS",
  heavyWorkerPoolSize: "ATLAS_HEAVY_WORKER_POOL_SIZE",
  maxRequestQueueDepth: "ATLAS_MAX_REQUEST_QUEUE_DEPTH",
  shutdownDrainMs: "ATLAS_SHUTDOWN_DRAIN_MS",
  maxSequenceBases: "ATLAS_MAX_SEQUENCE_BASES",
  sequenceApiKeyRequiredBases: "ATLAS_SEQUENCE_API_KEY_REQUIRED_BASES",
  sequenceTtlMs: "ATLAS_SEQUENCE_TTL_MS",
  sequenceRateLimitCapacity: "ATLAS_SEQUENCE_RATE_LIMIT_CAPACITY",
  sequenceRateLimitRefillPerSec: "ATLAS_SEQUENCE_RATE_LIMIT_REFILL_PER_SEC",
  /** The store's bearer token: the server's only store credential (it has no SigV4). Secret. */
  storeBearer: "ATLAS_STORE_S3_BEARER",
} as const;

export type EnvKey = (typeof env)[keyof typeof env];

/** Prefixes the server checks against its allowlist: an unknown name under them stops it at start. */
export const enforcedEnvPrefixes = ["ATLAS_", "BIJUX_"] as const;

/**
 * Keys of the pinned server's allowlist whose values are credentials. The server's one store
 * credential is its bearer token (env.storeBearer); it has no SigV4.
 */
export const serverCredentialEnvKeys: readonly string[] = [
  env.storeBearer,
  "ATLAS_STORE_HTTP_BEARER",
  "ATLAS_STORE_ACCESS_KEY_ID",
  "ATLAS_STORE_SECRET_ACCESS_KEY",
  "ATLAS_HMAC_SECRET",
  "ATLAS_TOKEN_SIGNING_SECRET",
  "ATLAS_ALLOWED_API_KEYS",
  "ATLAS_REDIS_URL",
  "ATLAS_STORE_S3_PRESIGNED_BASE_URL",
];

/**
 * The store credentials the packaging contract names ("Secret stores store credentials"). The
 * pinned server has no SigV4, so this access/secret key pair maps onto its bearer token: the
 * chart's Secret holds env.storeBearer instead. The server refuses these names at start, yet a
 * pod carrying one still carries a credential, so they are credentials like the server's own.
 */
export const contractStoreCredentialKeys = {
  accessKey: "ATLAS_STORE_ACCESS_KEY",
  secretKey: "ATLAS_STORE_SECRET_KEY",
} as const;

/** Keys whose values are credentials: they reach pods only from Secrets, never a ConfigMap or values in clear. */
export const secretEnvKeys: readonly string[] = [...serverCredentialEnvKeys, ...Object.values(contractStoreCredentialKeys)];

/** Keys the chart sets itself from typed values; `server.extraConfig` may not set them. */
export const chartOwnedEnvKeys: readonly string[] = Object.values(env);

/**
 * ATLAS_* keys an operator may add (`server.extraConfig`): the server's allowlist minus what the
 * chart sets itself, the credentials, and the switch that turns the server's env check off.
 */
export const extraEnvKeys: readonly string[] = serverEnvAllowlist.filter(
  (k) => new RegExp(patterns.atlasEnvKey).test(k) && !chartOwnedEnvKeys.includes(k) && !secretEnvKeys.includes(k) && k !== serverEnvDevAllowUnknown,
);

/** The values the server reads as true in a boolean key (it refuses anything but 1/0/true/false/yes/no). */
export const serverTrueValues: readonly string[] = ["1", "true", "yes"];

/** Whether an env value turns a boolean key on, as the server reads it. */
export const isServerTrue = (value: unknown) => typeof value === "string" && serverTrueValues.includes(value.trim().toLowerCase());
