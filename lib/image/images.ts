/**
 * The images real nodes run, built here without a registry: the sandbox (pause) image from a few
 * lines of C, CoreDNS and the bijux-atlas server on the Debian base. Each is reproducible (same
 * inputs, same digest) and cached by content; pods reference them by digest.
 */
import * as fs from "fs";
import * as path from "path";
import { runAsGroup, runAsUser } from "../../contract/pod";
import { imageBinaries, serverVersion } from "../../contract/server";
import { debianBase } from "./debianBase";
import { exec } from "./exec";
import { buildEpoch, tarLayer } from "./layer";
import { BuiltImage, buildImage, scratchDir } from "./oci";

/** Repository prefix of locally built images: a name no registry answers to, so nothing is ever pulled for it. */
export const localRegistry = "atlas.local";

export const pauseVersion = "3.10";

/**
 * The sandbox container: holds the pod's namespaces, reaps orphans, exits on SIGINT/SIGTERM.
 * What registry.k8s.io/pause does, statically linked so the image holds this one file.
 */
export const pauseSource = `#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void quit(int sig) { (void)sig; _exit(0); }
static void reap(int sig) { (void)sig; while (waitpid(-1, 0, WNOHANG) > 0) {} }

int main(void) {
  signal(SIGINT, quit);
  signal(SIGTERM, quit);
  signal(SIGCHLD, reap);
  for (;;) pause();
}
`;

type Log = (line: string) => void;

/** A one-layer tree holding `files` (image path -> [source, mode]), root-owned. */
function filesLayer(prefix: string, files: Record<string, [string, number]>, epoch: number): { tar: string; done: () => void } {
  const s = scratchDir(prefix);
  const tree = path.join(s.dir, "tree");
  for (const [dest, [src, mode]] of Object.entries(files)) {
    const abs = path.join(tree, dest);
    fs.mkdirSync(path.dirname(abs), { recursive: true, mode: 0o755 });
    fs.copyFileSync(src, abs);
    fs.chmodSync(abs, mode);
  }
  fs.chmodSync(tree, 0o755);
  const tar = path.join(s.dir, "layer.tar");
  tarLayer(tree, tar, epoch);
  return { tar, done: s.done };
}

/** The pause image, compiled with the machine's gcc. */
export function pauseImage(log: Log = () => undefined): BuiltImage {
  const epoch = buildEpoch();
  const s = scratchDir("pause");
  try {
    fs.writeFileSync(path.join(s.dir, "pause.c"), pauseSource);
    exec("gcc", ["-static", "-O2", "-s", "-Wall", "-Werror", "-o", path.join(s.dir, "pause"), path.join(s.dir, "pause.c")]);
    const layer = filesLayer("pause-layer", { pause: [path.join(s.dir, "pause"), 0o755] }, epoch);
    try {
      return buildImage({ repository: `${localRegistry}/pause`, tag: pauseVersion, epoch, layers: [{ tar: layer.tar, createdBy: "gcc -static pause.c" }], config: { entrypoint: ["/pause"], user: "65535:65535" } }, log);
    } finally {
      layer.done();
    }
  } finally {
    s.done();
  }
}

/** An image of one binary on the Debian base, run as nonroot. */
function binaryOnBase(repository: string, tag: string, files: Record<string, [string, number]>, config: { entrypoint: string[]; cmd?: string[] }, log: Log): BuiltImage {
  const epoch = buildEpoch();
  const base = debianBase(epoch, log);
  const layer = filesLayer("app-layer", files, epoch);
  try {
    return buildImage(
      {
        repository,
        tag,
        epoch,
        layers: [
          { tar: base.tar, createdBy: `debian ${Object.entries(base.packages).map(([n, v]) => `${n}=${v}`).join(" ")}` },
          { tar: layer.tar, createdBy: `copy ${Object.keys(files).join(" ")}` },
        ],
        config: { ...config, user: `${runAsUser}:${runAsGroup}` },
      },
      log,
    );
  } finally {
    layer.done();
  }
}

/** CoreDNS (tools/kube-build/coredns) on the base. */
export function corednsImage(binary: string, version: string, log: Log = () => undefined): BuiltImage {
  return binaryOnBase(`${localRegistry}/coredns`, version, { coredns: [binary, 0o555] }, { entrypoint: ["/coredns"] }, log);
}

export interface ServerBinaryPaths {
  server: string;
  cli: string;
}

/**
 * The bijux-atlas image: the pinned server and CLI at /app (root-owned, read-only) on the base,
 * entrypoint the server, user nonroot; the equivalent of docker/Dockerfile's runtime stage.
 */
export function atlasImage(binaries: ServerBinaryPaths, log: Log = () => undefined): BuiltImage {
  const rel = (p: string) => p.replace(/^\//, "");
  return binaryOnBase(
    `${localRegistry}/bijux-atlas`,
    serverVersion,
    { [rel(imageBinaries.server)]: [binaries.server, 0o555], [rel(imageBinaries.cli)]: [binaries.cli, 0o555] },
    { entrypoint: [imageBinaries.server] },
    log,
  );
}
