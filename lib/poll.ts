/** Waiting on a cluster or a process for a state it reaches on its own. */

/**
 * Calls `probe` every `intervalMs` until it returns a value other than undefined and returns that
 * value; throws after `ms` naming `what`, with the last error `probe` threw (a probe may throw
 * while the thing it reads is not there yet).
 */
export async function poll<T>(what: string, ms: number, probe: () => T | undefined, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what}: not within ${ms / 1000} s${last ? ` (last error: ${(last as Error).message})` : ""}`);
}
