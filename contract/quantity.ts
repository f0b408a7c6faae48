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

const decimalExponents: Record<string, number> = { m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binaryExponents: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * ceil(quantity x 10^scale) computed exactly, as resource.Quantity's Value() (scale 0) and
 * MilliValue() (scale 3) round: in floating point 1001m / 1m is 1001.0000000000001, which rounds up to 1002.
 */
export function quantityCeil(quantity: string | number, scale = 0): bigint {
  const text = String(quantity);
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?)$/.exec(text);
  if (!m || (m[2] + (m[3] ?? "")).length === 0) throw new Error(`not a Kubernetes quantity: ${text}`);
  const [, sign, whole, fraction = "", exponent, suffix = ""] = m;
  let num = BigInt(whole + fraction || "0") * (sign === "-" ? -1n : 1n);
  let den = 10n ** BigInt(fraction.length);
  const exp10 = (exponent !== undefined ? Number(exponent) : (decimalExponents[suffix] ?? 0)) + scale;
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  if (suffix in binaryExponents) num *= 2n ** BigInt(binaryExponents[suffix]);
  const q = num / den;
  return num % den > 0n ? q + 1n : q;
}
