/**
 * What the server tier needs before its first test: the pod runner's Debian packages, the pinned
 * server and CLI binaries (built with cargo on a fresh machine, about 16 minutes on 2 cores; cached
 * by version afterwards), and one synthetic dataset store published through the real CLI for the
 * whole run. When they cannot be had the tier says so loudly and, under CI, fails instead of
 * skipping.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { publishSyntheticDataset, PublishedDataset } from "../../lib/server/dataset";
import { cleanupStale } from "../../lib/server/pod";
import { ensureServerBinaries, readCratesStamp, ServerBinaries } from "../../lib/toolchain/crates";
import { debianPackages, ensureDebianPackages } from "../../lib/toolchain/debian";
import { underCi } from "../support/ci";

/** Long enough for a cold cargo build of both crates on a 2-core machine shared with other builds. */
const provisionTimeoutMs = 60 * 60 * 1000;

/** The dataset ids the stacks pin; the synthetic content is published under each. */
export const datasetIds = ["112/homo_sapiens/GRCh38", "112/mus_musculus/GRCm39"] as const;
export const primaryDataset = datasetIds[0];

export interface ServerTier {
  readonly binaries: ServerBinaries;
  /** One store holding every id of {@link datasetIds}, with its catalog. */
  readonly store: PublishedDataset;
  /** A scratch directory of this run (removed at exit). */
  readonly scratch: string;
}

let provisioned: Promise<ServerTier> | undefined;

async function provision(): Promise<ServerTier> {
  if (process.getuid?.() !== 0) throw new Error("the pod runner needs root (namespaces, mounts, cgroups, setpriv)");
  ensureDebianPackages(debianPackages.podRunner);
  // Runs of a crashed earlier test process (their runner is gone) are undone first.
  cleanupStale();
  const binaries = await ensureServerBinaries();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-server-tier-"));
  fs.chmodSync(scratch, 0o755);
  process.once("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
  const published: PublishedDataset[] = [];
  for (const id of datasetIds) {
    published.push(await publishSyntheticDataset({ cli: binaries.cli, datasetId: id, dir: path.join(scratch, "dataset"), storeRoot: path.join(scratch, "dataset", "store") }));
  }
  process.stderr.write(`server tier: bijux-atlas ${binaries.version} from ${binaries.source} (${binaries.dir}); synthetic store published in ${published.map((p) => `${p.ms} ms`).join(" + ")}\n`);
  const stamp = readCratesStamp();
  if (stamp) process.stderr.write(`server tier: cached crates built ${stamp.builtAt} with ${stamp.rustc}: ${Object.entries(stamp.buildSeconds).map(([c, s]) => `${c} ${s} s`).join(", ")}\n`);
  return { binaries, store: published[0], scratch };
}

/** Provisions the tier once per process; under CI a failure fails the tier, elsewhere it skips loudly. */
export async function requireServerTier(ctx: Mocha.Context): Promise<ServerTier> {
  ctx.timeout(provisionTimeoutMs);
  provisioned ??= provision();
  try {
    return await provisioned;
  } catch (e) {
    const msg = `SERVER TIER NOT RUN: ${(e as Error).message}`;
    if (underCi()) throw new Error(msg);
    process.stderr.write(`\n${"!".repeat(78)}\n${msg}\n${"!".repeat(78)}\n\n`);
    ctx.skip();
  }
}

/** A fresh directory under the run's scratch directory, traversable by the pod's user. */
export function scratchDir(tier: ServerTier, name: string): string {
  const dir = fs.mkdtempSync(path.join(tier.scratch, `${name}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}
