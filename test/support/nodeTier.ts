/**
 * What the node tier needs before its first test: root, the Debian packages of real nodes, the
 * control-plane and node binaries (built from Go modules on a fresh machine: the control plane
 * first, so the node binaries reuse its packages) and the pinned server binaries. When they cannot
 * be had the tier says so loudly and, under CI, fails instead of skipping.
 */
import { ensureServerBinaries, ServerBinaries } from "../../lib/toolchain/crates";
import { debianPackages, ensureDebianPackages } from "../../lib/toolchain/debian";
import { buildKubeBinaries, controlPlaneBinaries, nodeBinaries } from "../../lib/toolchain/kube";
import { underCi } from "./ci";

/** Long enough for a cold build of every Go binary and of the server crates on a 2-core machine. */
const provisionTimeoutMs = 120 * 60 * 1000;

let server: ServerBinaries | undefined;

export async function requireRealNodes(ctx: Mocha.Context): Promise<{ server: ServerBinaries }> {
  ctx.timeout(provisionTimeoutMs);
  let why: string | undefined;
  try {
    if (process.getuid?.() !== 0) throw new Error("real nodes need root (network namespaces, cgroups, mounts)");
    ensureDebianPackages(debianPackages.realNode);
    buildKubeBinaries([...controlPlaneBinaries, ...nodeBinaries]);
    server ??= await ensureServerBinaries();
  } catch (e) {
    why = (e as Error).message;
  }
  if (!why) return { server: server! };
  const msg = `NODE TIER NOT RUN: ${why}`;
  if (underCi()) throw new Error(msg);
  process.stderr.write(`\n${"!".repeat(78)}\n${msg}\n${"!".repeat(78)}\n\n`);
  ctx.skip();
}
