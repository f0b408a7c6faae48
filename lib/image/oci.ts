/**
 * OCI images without a registry or a daemon: reproducible layer archives assembled by umoci into
 * an OCI image layout, archived as a tar that `ctr images import` reads. Cached by content: the key
 * is the hash of every layer and of the config, so the same inputs give the same image, built once.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { userCacheDir } from "../paths";
import { exec } from "./exec";
import { epochTime, sha256File, tarLayer } from "./layer";

export interface ImageConfig {
  entrypoint: string[];
  cmd?: string[];
  /** "uid" or "uid:gid". */
  user: string;
  env?: string[];
  workingDir?: string;
  labels?: Record<string, string>;
}

export interface ImageLayer {
  /** A reproducible tar (see tarLayer). */
  tar: string;
  /** What produced it, for the image history. */
  createdBy: string;
}

export interface ImageSpec {
  /** Repository the image is imported as, e.g. `atlas.local/bijux-atlas`. */
  repository: string;
  tag: string;
  /** Bottom layer first. */
  layers: ImageLayer[];
  config: ImageConfig;
  /** The build epoch (image and history creation time). */
  epoch: number;
}

export interface BuiltImage {
  repository: string;
  tag: string;
  /** Digest of the image manifest, `sha256:<hex>`: what `repository@digest` pins. */
  digest: string;
  /** `repository@sha256:...`, how pods reference it. */
  ref: string;
  /** OCI image layout archived as a tar (what `ctr images import` reads). */
  archive: string;
  /** Digests of the uncompressed layers, bottom first. */
  diffIds: string[];
  /** Whether this call built it (false: it came from the cache). */
  built: boolean;
}

/** Where built images are kept: `${XDG_CACHE_HOME:-~/.cache}/bijux-atlas/images` ($ATLAS_IMAGE_CACHE wins). */
export function imageCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ATLAS_IMAGE_CACHE ? path.resolve(env.ATLAS_IMAGE_CACHE) : path.join(userCacheDir(env), "images");
}

const slug = (repository: string) => repository.replace(/[^a-zA-Z0-9._-]+/g, "_");

/** Builds (or finds in the cache) the image of `spec`. */
export function buildImage(spec: ImageSpec, log: (line: string) => void = () => undefined): BuiltImage {
  const diffIds = spec.layers.map((l) => sha256File(l.tar));
  const key = createHash("sha256")
    .update(JSON.stringify({ recipe: 1, repository: spec.repository, tag: spec.tag, diffIds, config: spec.config, epoch: spec.epoch, createdBy: spec.layers.map((l) => l.createdBy) }))
    .digest("hex")
    .slice(0, 32);
  const dir = path.join(imageCacheDir(), slug(spec.repository), key);
  const record = path.join(dir, "image.json");
  if (fs.existsSync(record)) return { ...(JSON.parse(fs.readFileSync(record, "utf8")) as BuiltImage), built: false };

  log(`building image ${spec.repository}:${spec.tag} (${spec.layers.length} layer(s))`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(dir), `.build-${key}-`));
  try {
    const layout = path.join(work, "layout");
    const image = `${layout}:${spec.tag}`;
    const created = epochTime(spec.epoch);
    exec("umoci", ["init", "--layout", layout]);
    exec("umoci", ["new", "--image", image]);
    for (const layer of spec.layers) {
      exec("umoci", ["raw", "add-layer", "--image", image, "--history.created", created, "--history.created_by", layer.createdBy, layer.tar]);
    }
    const c = spec.config;
    const args = ["config", "--image", image, "--no-history", "--created", created, "--author", "", "--os", "linux", "--architecture", "amd64", "--config.user", c.user];
    args.push("--clear=config.entrypoint", ...c.entrypoint.flatMap((e) => ["--config.entrypoint", e]));
    if (c.cmd) args.push("--clear=config.cmd", ...c.cmd.flatMap((e) => ["--config.cmd", e]));
    for (const e of c.env ?? []) args.push("--config.env", e);
    if (c.workingDir) args.push("--config.workingdir", c.workingDir);
    for (const [k, v] of Object.entries(c.labels ?? {})) args.push("--config.label", `${k}=${v}`);
    exec("umoci", args);
    exec("umoci", ["gc", "--layout", layout]);
    const index = JSON.parse(fs.readFileSync(path.join(layout, "index.json"), "utf8")) as { manifests: { digest: string }[] };
    if (index.manifests.length !== 1) throw new Error(`umoci left ${index.manifests.length} manifests in ${layout}; expected 1`);
    const digest = index.manifests[0].digest;
    const archive = path.join(work, "image.tar");
    tarLayer(layout, archive, spec.epoch);
    fs.rmSync(layout, { recursive: true, force: true });
    const result: BuiltImage = { repository: spec.repository, tag: spec.tag, digest, ref: `${spec.repository}@${digest}`, archive: path.join(dir, "image.tar"), diffIds: diffIds.map((d) => `sha256:${d}`), built: true };
    fs.writeFileSync(path.join(work, "image.json"), JSON.stringify({ ...result, built: undefined }, null, 2) + "\n");
    try {
      fs.renameSync(work, dir);
    } catch (e) {
      // Built concurrently by another process: theirs is the same image.
      if (!fs.existsSync(record)) throw e;
      fs.rmSync(work, { recursive: true, force: true });
    }
    log(`built image ${result.ref}`);
    return result;
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

/** A scratch directory for a layer's tree, removed by `done`. */
export function scratchDir(prefix: string): { dir: string; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atlas-${prefix}-`));
  fs.chmodSync(dir, 0o755);
  return { dir, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
