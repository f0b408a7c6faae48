/**
 * The pinned bijux-atlas binaries (contract/server.ts): the server and the CLI, both from
 * crates.io at one version. In order: both on PATH at the pinned version; the per-version cache
 * (`${XDG_CACHE_HOME:-~/.cache}/bijux-atlas/crates/<version>/bin`); `cargo install --locked` of
 * both crates into that cache. The two crates share most dependencies, so they are built one
 * after the other with one CARGO_TARGET_DIR (in the cache, keyed by version): the second build
 * reuses what the first compiled.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { serverCrates, serverVersion } from "../../contract/server";
import { userCacheDir } from "../paths";
import { installFile, isExecutable } from "./cache";
import { acquireFileLock } from "./lock";
import { formatDuration, heartbeat, Reporter, stderrReporter } from "./progress";
import { lastLine, run, which } from "./process";

export type CrateKey = keyof typeof serverCrates;

export interface ServerBinaries {
  /** Absolute path of `bijux-atlas-server`. */
  readonly server: string;
  /** Absolute path of `bijux-atlas` (the CLI). */
  readonly cli: string;
  /** A directory holding exactly these two binaries (what the image's /app holds). */
  readonly dir: string;
  /** The version both report, without a leading `v`. */
  readonly version: string;
  readonly source: "path" | "cache" | "build";
  /** Wall time of this resolution in milliseconds (the build, when there was one). */
  readonly ms: number;
}

export interface CrateOptions {
  readonly reporter?: Reporter;
  /** Fail instead of building when neither PATH nor the cache has them. */
  readonly allowBuild?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** `${XDG_CACHE_HOME:-~/.cache}/bijux-atlas/crates/<version>`. */
export function cratesCacheDir(version = serverVersion, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userCacheDir(env), "crates", version);
}

/** Where the cached binaries live. */
export function cratesBinDir(version = serverVersion, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cratesCacheDir(version, env), "bin");
}

/**
 * The version a binary reports, without `v`. The server prints `bijux-atlas-server 0.2.2` for
 * `--version`; the CLI has no such flag and prints `{"name":"bijux-atlas","version":"v0.2.2"}`
 * for `version`.
 */
export async function binaryVersion(key: CrateKey, bin: string): Promise<string | undefined> {
  const args = key === "server" ? ["--version"] : ["version"];
  const r = await run(bin, args, { timeoutMs: 30_000, env: { PATH: "/usr/bin:/bin" } });
  if (r.code !== 0) return undefined;
  if (key === "server") return /^\S+\s+v?(\d+\.\d+\.\d+\S*)\s*$/.exec(r.stdout.trim())?.[1];
  try {
    return String((JSON.parse(r.stdout) as { version?: string }).version ?? "").replace(/^v/, "") || undefined;
  } catch {
    return undefined;
  }
}

async function fits(dir: string, version: string): Promise<{ server: string; cli: string } | undefined> {
  const server = path.join(dir, serverCrates.server.binary);
  const cli = path.join(dir, serverCrates.cli.binary);
  if (!isExecutable(server) || !isExecutable(cli)) return undefined;
  const [sv, cv] = await Promise.all([binaryVersion("server", server), binaryVersion("cli", cli)]);
  return sv === version && cv === version ? { server, cli } : undefined;
}

/** Both binaries on PATH at `version`, as a directory holding exactly the two (links when they sit apart). */
async function fromPath(version: string, env: NodeJS.ProcessEnv): Promise<{ server: string; cli: string; dir: string } | string> {
  const server = which(serverCrates.server.binary, env.PATH);
  const cli = which(serverCrates.cli.binary, env.PATH);
  if (!server || !cli) return `PATH: ${[!server && serverCrates.server.binary, !cli && serverCrates.cli.binary].filter(Boolean).join(" and ")} not found`;
  const [sv, cv] = await Promise.all([binaryVersion("server", server), binaryVersion("cli", cli)]);
  if (sv !== version || cv !== version) return `PATH: ${server} reports ${sv ?? "nothing"}, ${cli} reports ${cv ?? "nothing"}; pinned ${version}`;
  // /app holds the two binaries and nothing else, so a directory such as /usr/local/bin is
  // represented by links to the two files rather than by itself.
  const dir = path.join(cratesCacheDir(version, env), "path-bin");
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.symlinkSync(fs.realpathSync(server), path.join(tmp, serverCrates.server.binary));
  fs.symlinkSync(fs.realpathSync(cli), path.join(tmp, serverCrates.cli.binary));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return { server: path.join(dir, serverCrates.server.binary), cli: path.join(dir, serverCrates.cli.binary), dir };
}

/** What a build records next to the binaries. */
export interface CratesStamp {
  readonly crates: string[];
  readonly version: string;
  readonly rustc: string;
  readonly builtAt: string;
  /** Wall time of each `cargo install`, in seconds, in build order. */
  readonly buildSeconds: Record<string, number>;
}

/**
 * Provides the pinned server and CLI binaries, building them with cargo when neither PATH nor the
 * cache has them. Two processes asking at once build once: the second waits on a lock and then
 * finds the cache filled.
 */
export async function ensureServerBinaries(opts: CrateOptions = {}): Promise<ServerBinaries> {
  const started = Date.now();
  const reporter = opts.reporter ?? stderrReporter;
  const env = opts.env ?? process.env;
  const version = serverVersion;
  const attempts: string[] = [];

  const onPath = await fromPath(version, env);
  if (typeof onPath !== "string") return { ...onPath, version, source: "path", ms: Date.now() - started };
  attempts.push(onPath);

  const binDir = cratesBinDir(version, env);
  const cached = await fits(binDir, version);
  if (cached) return { ...cached, dir: binDir, version, source: "cache", ms: Date.now() - started };
  attempts.push(`cache: no ${version} binaries in ${binDir}`);
  if (opts.allowBuild === false) throw new Error(`cannot provide bijux-atlas ${version}:\n${attempts.map((a) => `  - ${a}`).join("\n")}\n  - build: not attempted (building disabled)`);

  const lock = await acquireFileLock(path.join(cratesCacheDir(version, env), ".build.lock"), () =>
    reporter.line(`waiting for another process building bijux-atlas ${version} ...`),
  );
  try {
    // Whoever held the lock before us may have filled the cache.
    const filled = await fits(binDir, version);
    if (filled) return { ...filled, dir: binDir, version, source: "cache", ms: Date.now() - started };
    await buildCrates(version, env, reporter);
  } catch (err) {
    attempts.push(`build: ${(err as Error).message}`);
    throw new Error(`cannot provide bijux-atlas ${version}:\n${attempts.map((a) => `  - ${a}`).join("\n")}`);
  } finally {
    lock.release();
  }
  const built = await fits(binDir, version);
  if (!built) throw new Error(`cargo installed bijux-atlas ${version} into ${binDir}, but the binaries there do not report ${version}`);
  return { ...built, dir: binDir, version, source: "build", ms: Date.now() - started };
}

async function buildCrates(version: string, env: NodeJS.ProcessEnv, reporter: Reporter): Promise<void> {
  const cargo = which("cargo", env.PATH);
  if (!cargo) throw new Error("cargo is not on PATH; install a Rust toolchain (rustup, Rust 1.85 or newer) to build the pinned server crates");
  const rustc = (await run("rustc", ["--version"], { env })).stdout.trim() || "unknown rustc";
  const cacheDir = cratesCacheDir(version, env);
  const targetDir = path.join(cacheDir, "target");
  const binDir = cratesBinDir(version, env);
  const buildSeconds: Record<string, number> = {};
  reporter.line(`building bijux-atlas ${version} (server and CLI) with cargo (${rustc}); the first build takes about 15 minutes on 2 cores`);
  for (const key of ["server", "cli"] as const) {
    const { crate, binary } = serverCrates[key];
    // A private install root per process: cargo writes the binary there, and it reaches the
    // shared bin directory by a rename, so a reader never sees a partial file.
    const root = fs.mkdtempSync(path.join(cacheDir, `.install-${process.pid}-`));
    try {
      let compiled = 0;
      const beat = heartbeat(reporter, `cargo install ${crate} ${version}`, () => `, ${compiled} crates compiled`);
      const r = await run("nice", ["-n", "10", cargo, "install", "--locked", "--root", root, "--version", `=${version}`, crate], {
        env: { ...env, CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: "never", CARGO_TERM_PROGRESS_WHEN: "never" },
        onStderr: (chunk) => (compiled += chunk.split("\n").filter((l) => /^\s*Compiling /.test(l)).length),
      });
      const ms = beat.stop();
      if (r.code !== 0) {
        const errors = r.stderr.split("\n").filter((l) => !/^\s*(Compiling|Downloaded|Downloading|Updating|Locking|Adding|Installing|Fresh)\b/.test(l) && l.trim() !== "");
        throw new Error(`cargo install ${crate} ${version} failed (exit ${r.code}):\n${errors.slice(-15).join("\n") || lastLine(r.stderr)}`);
      }
      installFile(path.join(root, "bin", binary), path.join(binDir, binary));
      buildSeconds[crate] = Math.round(ms / 1000);
      reporter.line(`built ${crate} ${version} in ${formatDuration(ms)} (${compiled} crates compiled)`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  const stamp: CratesStamp = {
    crates: Object.values(serverCrates).map((c) => c.crate),
    version,
    rustc,
    builtAt: new Date().toISOString(),
    buildSeconds,
  };
  fs.writeFileSync(path.join(binDir, "build.json"), JSON.stringify(stamp, null, 2) + "\n");
  // The binaries are what we keep; the build tree (gigabytes) served only to share work between
  // the two crates of this version.
  fs.rmSync(targetDir, { recursive: true, force: true });
}

/** The stamp of the cached build, if there was one. */
export function readCratesStamp(version = serverVersion, env: NodeJS.ProcessEnv = process.env): CratesStamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(cratesBinDir(version, env), "build.json"), "utf8")) as CratesStamp;
  } catch {
    return undefined;
  }
}

/** `${CARGO_HOME:-~/.cargo}`. */
function cargoHome(env: NodeJS.ProcessEnv): string {
  return env.CARGO_HOME || path.join(os.homedir(), ".cargo");
}

function unpackedCrate(crate: string, version: string, env: NodeJS.ProcessEnv): string | undefined {
  const src = path.join(cargoHome(env), "registry", "src");
  let registries: string[] = [];
  try {
    registries = fs.readdirSync(src).filter((d) => d.startsWith("index.crates.io-"));
  } catch {
    return undefined;
  }
  for (const reg of registries) {
    const dir = path.join(src, reg, `${crate}-${version}`);
    if (fs.existsSync(path.join(dir, "Cargo.toml"))) return dir;
  }
  return undefined;
}

/**
 * Has cargo download and unpack `crate` at exactly `version` (through a throwaway manifest that
 * depends on it: `cargo fetch` unpacks every package it downloads into the registry's src tree).
 */
async function fetchCrate(crate: string, version: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-crate-fetch-"));
  try {
    fs.mkdirSync(path.join(dir, "src"));
    fs.writeFileSync(path.join(dir, "src", "lib.rs"), "");
    fs.writeFileSync(
      path.join(dir, "Cargo.toml"),
      `[package]\nname = "atlas-crate-fetch"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n${JSON.stringify(crate)} = "=${version}"\n`,
    );
    const r = await run("cargo", ["fetch", "--manifest-path", path.join(dir, "Cargo.toml")], { env: { ...env, CARGO_TERM_COLOR: "never" }, timeoutMs: 10 * 60_000 });
    if (r.code !== 0) throw new Error(`cargo fetch of ${crate} ${version} failed (exit ${r.code}): ${lastLine(r.stderr)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Version of `dependency` in the Cargo.lock shipped with a crate's source. */
export function lockedVersion(crateDir: string, dependency: string): string {
  const lock = fs.readFileSync(path.join(crateDir, "Cargo.lock"), "utf8");
  const versions = lock
    .split(/^\[\[package\]\]$/m)
    .map((block) => ({ name: /^name = "([^"]+)"$/m.exec(block)?.[1], version: /^version = "([^"]+)"$/m.exec(block)?.[1] }))
    .filter((p) => p.name === dependency && p.version)
    .map((p) => p.version!);
  if (versions.length !== 1) {
    throw new Error(`${path.join(crateDir, "Cargo.lock")} locks ${versions.length ? `several versions of ${dependency}: ${versions.join(", ")}` : `no ${dependency}`}`);
  }
  return versions[0];
}

/**
 * The unpacked source of `crate` as cargo keeps it (`~/.cargo/registry/src/<index>/<crate>-<version>`),
 * fetched when missing. The two pinned crates are at the pinned version; any other crate (the
 * runtime crate holding the env contract, say) at the version the server crate's Cargo.lock pins.
 */
export async function crateSourceDir(crate: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const pinned = Object.values(serverCrates).some((c) => c.crate === crate);
  const version = pinned ? serverVersion : lockedVersion(await crateSourceDir(serverCrates.server.crate, env), crate);
  const found = unpackedCrate(crate, version, env);
  if (found) return found;
  await fetchCrate(crate, version, env);
  const fetched = unpackedCrate(crate, version, env);
  if (!fetched) throw new Error(`cargo fetched ${crate} ${version} but its source is not under ${path.join(cargoHome(env), "registry", "src")}`);
  return fetched;
}
