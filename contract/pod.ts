/**
 * Facts of the atlas pod contract: who the server runs as, which paths exist and which are
 * writable, which port and probe paths it serves.
 */

/** The non-root user and group of every atlas container (distroless "nonroot"). */
export const runAsUser = 65532;
export const runAsGroup = 65532;

/** Mount paths of the pod. /cache and /tmp are the only writable ones. */
export const paths = {
  /** The dataset cache (ATLAS_CACHE_ROOT): an emptyDir, a node-local SSD claim or a seeded claim. */
  cache: "/cache",
  /** Scratch space: a bounded emptyDir. */
  tmp: "/tmp",
  /** A store mounted from a volume (ATLAS_STORE_ROOT), read-only for the server. */
  store: "/store",
  /** Files the Jobs read (golden queries), from a ConfigMap. */
  jobConfig: "/etc/bijux-atlas",
} as const;

/** The writable mounts the contract allows. */
export const writablePaths: readonly string[] = [paths.cache, paths.tmp];

/** Value of the component label on the server's objects (its pods, Service, HPA, PDB...). */
export const serverComponent = "server";

/** Value of the component label on the cache's volumes and claims (node-local SSD). */
export const cacheComponent = "cache";

/** Value of the component label on the catalog publish Job's pods. */
export const catalogPublishComponent = "catalog-publish";

/** Value of the component label on the dataset warm-up Job's pods. */
export const warmupComponent = "warmup";

/**
 * Pods that write the store: the catalog publish Job (it writes catalog.json), and the warm-up
 * Job, whose `smoke` opens each dataset's SQLite files read-write (they are in WAL mode, so even
 * a read needs the -wal and -shm files beside them): on a read-only store it fails with
 * "unable to open database file".
 */
export const storeWriterComponents: readonly string[] = [catalogPublishComponent, warmupComponent];

/** The writable mounts of a pod with this component label: the contract's two, plus the store for the store writers. */
export function writablePathsOf(component: string | undefined): readonly string[] {
  return component !== undefined && storeWriterComponents.includes(component) ? [...writablePaths, paths.store] : writablePaths;
}

/** Name of the container port (and Service target port). */
export const httpPortName = "http";

/** Default container and Service port; unprivileged, since the server has no capabilities. */
export const defaultPort = 8080;

/** The lowest port a process without CAP_NET_BIND_SERVICE may bind. */
export const minimumUnprivilegedPort = 1024;

/** HTTP paths of the probes and of the metrics endpoint. */
export const probePaths = {
  startup: "/readyz",
  readiness: "/readyz",
  liveness: "/healthz",
} as const;
export const metricsPath = "/metrics";

/** Names of the containers the chart renders. */
export const containerNames = {
  server: "server",
  warmup: "warmup",
  catalogPublish: "catalog-publish",
} as const;
