/** Kubernetes quantities as numbers, and the storage budget the pod contract requires. */

const multipliers: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a Kubernetes quantity (bytes for storage, cores for CPU). */
export function quantityValue(quantity: string | number): number {
  if (typeof quantity === "number") return quantity;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(quantity);
  const multiplier = match ? multipliers[match[2]] : undefined;
  if (!match || multiplier === undefined) throw new Error(`not a Kubernetes quantity: ${quantity}`);
  return Number(match[1]) * multiplier;
}

/**
 * What counts against a container's ephemeral-storage limit: the emptyDirs it mounts. With /cache
 * on a claim (node-local SSD, a seeded cache) only /tmp does.
 */
export function ephemeralStorageNeeded(volumes: { cacheOnEmptyDir: boolean; cacheSize: string; tmpSize: string }): number {
  return (volumes.cacheOnEmptyDir ? quantityValue(volumes.cacheSize) : 0) + quantityValue(volumes.tmpSize);
}
