import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { heartbeat, Reporter } from "./progress";
import { lastLine, run, which } from "./process";

/** A Go toolchain found on PATH. */
export interface GoToolchain {
  readonly bin: string;
  /** `go version` output, e.g. `go version go1.26.8 linux/amd64`. */
  readonly version: string;
}

/** The Go toolchain on PATH, or undefined when there is none. */
export async function findGo(env: NodeJS.ProcessEnv = process.env): Promise<GoToolchain | undefined> {
  const bin = which("go", env.PATH);
  if (!bin) return undefined;
  const result = await run(bin, ["version"], { env, timeoutMs: 30_000 });
  return result.code === 0 ? { bin, version: result.stdout.trim() } : undefined;
}

/** Directory of a required module in the module cache, downloading it through GOPROXY if needed. */
export async function moduleDir(go: GoToolchain, buildModuleDir: string, modulePath: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(go.bin, ["mod", "download", "-json", modulePath], { cwd: buildModuleDir, env, timeoutMs: 600_000 });
  const info = (() => {
    try {
      return JSON.parse(result.stdout) as { Dir?: string; Error?: string };
    } catch {
      return {} as { Dir?: string; Error?: string };
    }
  })();
  if (result.code !== 0 || !info.Dir) {
    throw new Error(`go mod download ${modulePath} failed: ${info.Error ?? lastLine(result.stderr)}`);
  }
  return info.Dir;
}

export interface GoBuildSpec {
  /** What is being built, for progress lines, e.g. `pulumi v3.259.0`. */
  readonly label: string;
  /** The pinned build module (holds go.mod and go.sum). */
  readonly moduleDir: string;
  /** Package to build: an import path or a path relative to `moduleDir`. */
  readonly pkg: string;
  /** `-X importpath.name=value` settings. */
  readonly stamps: Readonly<Record<string, string>>;
  /** Optional `go build -overlay` file. */
  readonly overlay?: string;
  /** Extra environment for Go (e.g. GONOSUMDB for modules the checksum database does not list). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Builds one binary from a pinned build module and returns the path of the (temporary) output.
 * Runs under `nice` so the two cores stay usable for other work, and prints a heartbeat with the
 * number of packages compiled so far. Module and build caches stay at Go's defaults so a second
 * build on the same machine reuses them.
 */
export async function goBuild(go: GoToolchain, spec: GoBuildSpec, reporter: Reporter): Promise<{ output: string; ms: number }> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-toolchain-"));
  const output = path.join(outDir, path.basename(spec.pkg));
  const ldflags = ["-s", "-w", ...Object.entries(spec.stamps).map(([k, v]) => `-X ${k}=${v}`)].join(" ");
  const args = ["build", "-trimpath", "-v", "-o", output, "-ldflags", ldflags];
  if (spec.overlay) args.push("-overlay", spec.overlay);
  args.push(spec.pkg);
  const useNice = which("nice") !== undefined;
  const [command, commandArgs] = useNice ? ["nice", ["-n", "10", go.bin, ...args]] : [go.bin, args];
  // The package count bounds how far the build has to go; packages already in Go's build cache
  // are not compiled again, so a partly warm build finishes below it.
  const deps = await run(go.bin, ["list", "-deps", ...(spec.overlay ? ["-overlay", spec.overlay] : []), spec.pkg], {
    cwd: spec.moduleDir,
    env: { ...process.env, ...spec.env },
    timeoutMs: 600_000,
  });
  const total = deps.code === 0 ? deps.stdout.split("\n").filter((l) => l.trim() !== "").length : undefined;
  let compiled = 0;
  const beat = heartbeat(
    reporter,
    `building ${spec.label}`,
    () => `, ${compiled}${total ? ` of at most ${total}` : ""} packages compiled`,
  );
  const result = await run(command, commandArgs, {
    cwd: spec.moduleDir,
    env: { ...process.env, ...spec.env },
    // `go build -v` names each package as it compiles it; cached packages are not named.
    onStderr: (chunk) => (compiled += chunk.split("\n").filter((l) => /^[\w.-]+(\/[\w.~+-]+)*$/.test(l.trim())).length),
  });
  const ms = beat.stop();
  if (result.code !== 0) {
    fs.rmSync(outDir, { recursive: true, force: true });
    const errors = result.stderr
      .split("\n")
      .filter((l) => !/^[\w.-]+(\/[\w.~+-]+)*$/.test(l.trim()) && l.trim() !== "")
      .slice(-15)
      .join("\n");
    throw new Error(`go build of ${spec.label} failed (exit ${result.code}):\n${errors}`);
  }
  return { output, ms };
}
