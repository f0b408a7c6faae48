/**
 * Image layers as reproducible tar archives: entries sorted by name, every mtime the build epoch,
 * numeric owners as they are on disk, no access or change times. The same tree gives the same
 * bytes, so the same digest.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { exec } from "./exec";

/**
 * The build epoch: SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else a fixed
 * instant, so an image's digest depends on its contents only.
 */
export function buildEpoch(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === "") return 1_700_000_000;
  if (!/^\d+$/.test(v)) throw new Error(`SOURCE_DATE_EPOCH: received ${JSON.stringify(v)}; allowed: seconds since 1970 (digits only)`);
  return Number(v);
}

/** The epoch as the RFC 3339 time OCI configs carry. */
export function epochTime(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Writes `dir`'s tree as a reproducible tar at `out`; returns the sha256 of the archive (the layer's diff id). */
export function tarLayer(dir: string, out: string, epoch: number): string {
  exec("tar", [
    "--sort=name",
    `--mtime=@${epoch}`,
    "--numeric-owner",
    "--format=pax",
    "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
    "-C",
    dir,
    "-cf",
    out,
    ".",
  ]);
  return sha256File(out);
}

export function sha256File(file: string): string {
  const h = createHash("sha256");
  const fd = fs.openSync(file, "r");
  const buf = Buffer.alloc(1 << 20);
  try {
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest("hex");
}
