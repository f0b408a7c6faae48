/**
 * The pinned Kubernetes binaries the local cluster runs (etcd, the control plane, kwok), built
 * once per machine from the build modules in tools/kube-build through the Go module proxy and
 * cached by version.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot, userCacheDir } from "../paths";

export const kubernetesVersion = "v1.34.2";
export const etcdVersion = "v3.5.21";
export const kwokVersion = "v0.7.0";

/** The build modules (go.mod/go.sum pin every dependency). */
export const kubeBuildDir = path.join(repoRoot, "tools", "kube-build");

/** The processes of a local control plane, in start order. */
export const controlPlaneBinaries = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"] as const;
export type KubeBinary = (typeof controlPlaneBinaries)[number];

/** Where the built binaries are cached, keyed by version ($ATLAS_KUBE_BIN_DIR wins). */
export function binDir(): string {
  if (process.env.ATLAS_KUBE_BIN_DIR) return process.env.ATLAS_KUBE_BIN_DIR;
  return path.join(userCacheDir(), "kube", `${kubernetesVersion}-etcd-${etcdVersion}-kwok-${kwokVersion}`, "bin");
}

export function binaryPath(name: KubeBinary): string {
  return path.join(binDir(), name);
}

export function missingBinaries(names: readonly KubeBinary[] = controlPlaneBinaries, dir = binDir()): KubeBinary[] {
  return names.filter((c) => !fs.existsSync(path.join(dir, c)));
}

interface Recipe {
  version: string;
  dir: string;
  pkg: string;
  ldflags: string;
}

function recipes(): Record<KubeBinary, Recipe> {
  const minor = kubernetesVersion.split(".")[1];
  const kubeLd = [
    "-s -w",
    ...["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"].flatMap((pkg) => [
      `-X ${pkg}.gitVersion=${kubernetesVersion}`,
      `-X ${pkg}.gitMajor=1`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
    ]),
  ].join(" ");
  const kube = (cmd: string): Recipe => ({ version: kubernetesVersion, dir: kubeBuildDir, pkg: `k8s.io/kubernetes/cmd/${cmd}`, ldflags: kubeLd });
  return {
    etcd: { version: etcdVersion, dir: path.join(kubeBuildDir, "etcd"), pkg: ".", ldflags: "-s -w" },
    "kube-apiserver": kube("kube-apiserver"),
    "kube-controller-manager": kube("kube-controller-manager"),
    "kube-scheduler": kube("kube-scheduler"),
    kwok: { version: kwokVersion, dir: path.join(kubeBuildDir, "kwok"), pkg: "sigs.k8s.io/kwok/cmd/kwok", ldflags: `-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${kwokVersion}` },
  };
}

/**
 * Builds the missing binaries among `names`, one after another (they share most packages, so a
 * cold machine compiles each shared package once), and installs each with a rename.
 */
export function buildKubeBinaries(names: readonly KubeBinary[] = controlPlaneBinaries, log: (l: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  const dest = binDir();
  const missing = missingBinaries(names, dest);
  if (!missing.length) {
    log(`kubernetes binaries cached in ${dest}`);
    return;
  }
  fs.mkdirSync(dest, { recursive: true });
  const table = recipes();
  for (const name of missing) {
    const r = table[name];
    const t0 = Date.now();
    log(`building ${name} (${r.version}) from Go modules; the first build takes minutes...`);
    // Per-process temporary name: concurrent builds (two test runs, say) must not clobber each other.
    const tmp = path.join(dest, `.${name}.${process.pid}.tmp`);
    const res = spawnSync("nice", ["-n", "5", "go", "build", "-trimpath", "-ldflags", r.ldflags, "-o", tmp, r.pkg], {
      cwd: r.dir,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, GOFLAGS: "-mod=readonly" },
    });
    if (res.status !== 0) throw new Error(`building ${name} failed (go build exit ${res.status}) in ${r.dir}`);
    fs.renameSync(tmp, path.join(dest, name));
    log(`built ${name} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}
