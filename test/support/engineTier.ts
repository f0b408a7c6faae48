/**
 * What the engine tier needs before its first test: the pinned Pulumi toolchain and, for tests
 * against a real API server, the control-plane binaries. On a fresh machine both are built from
 * Go modules (tens of minutes on 2 cores), so the hook that asks gets the time for it. When they
 * cannot be had, the tier says so loudly and, under CI, fails instead of skipping.
 */
import { toolchain } from "../../lib/toolchain";
import { buildKubeBinaries, missingBinaries } from "../../lib/toolchain/kube";
import { underCi } from "./ci";

/** Long enough for a cold bootstrap of everything on a 2-core machine. */
const provisionTimeoutMs = 90 * 60 * 1000;

export async function requireEngine(ctx: Mocha.Context, needs: { controlPlane?: boolean } = {}): Promise<void> {
  ctx.timeout(provisionTimeoutMs);
  let why: string | undefined;
  try {
    await toolchain();
  } catch (e) {
    why = `the Pulumi toolchain is unavailable: ${(e as Error).message}`;
  }
  if (!why && needs.controlPlane) {
    try {
      if (missingBinaries().length) buildKubeBinaries();
    } catch (e) {
      why = `the control-plane binaries could not be built: ${(e as Error).message}`;
    }
  }
  if (!why) return;
  const msg = `ENGINE TIER NOT RUN: ${why}`;
  if (underCi()) throw new Error(msg);
  process.stderr.write(`\n${"!".repeat(78)}\n${msg}\n${"!".repeat(78)}\n\n`);
  ctx.skip();
}
