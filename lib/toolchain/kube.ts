/**
 * The pinned Kubernetes binaries the local cluster runs (etcd, the control plane, kwok; for real
 * nodes kubelet, kube-proxy, kube-router's policy firewall and CoreDNS), built once per machine
 * from the build modules in tools/kube-build through the Go module proxy and cached by version.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot, userCacheDir } from "../paths";

export const kubernetesVersion = "v1.34.2";
export const etcdVersion = "v3.5.21";
export const kwokVersion = "v0.7.0";
/** kube-router: only its NetworkPolicy firewall runs (iptables + ipset). The newest release the module proxy serves. */
export const kubeRouterVersion = "v2.1.0";
/** CoreDNS: the release built against the same client-go as the control plane (k8s.io/client-go v0.34.2). */
export const corednsVersion = "v1.13.2";

/** The build modules (go.mod/go.sum pin every dependency). */
export const kubeBuildDir = path.join(repoRoot, "tools", "kube-build");

/** The processes of a local control plane, in start order. */
export const controlPlaneBinaries = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"] as const;
/**
 * What real nodes run besides a container runtime, built only when a cluster has real nodes
 * (after the control plane's binaries, so the packages they share are compiled once).
 */
export const nodeBinaries = ["kubelet", "kube-proxy", "kube-router", "coredns"] as const;
export type ControlPlaneBinary = (typeof controlPlaneBinaries)[number];
export type NodeBinary = (typeof nodeBinaries)[number];
export type KubeBinary = ControlPlaneBinary | NodeBinary;

/** Where the Kubernetes build's binaries are cached, keyed by version ($ATLAS_KUBE_BIN_DIR wins). */
export function binDir(): string {
  if (process.env.ATLAS_KUBE_BIN_DIR) return process.env.ATLAS_KUBE_BIN_DIR;
  return path.join(userCacheDir(), "kube", `${kubernetesVersion}-etcd-${etcdVersion}-kwok-${kwokVersion}`, "bin");
}

/** Binaries of other projects than Kubernetes live in their own cache directory, keyed by their version. */
function dirOf(name: KubeBinary): string {
  if (process.env.ATLAS_KUBE_BIN_DIR) return process.env.ATLAS_KUBE_BIN_DIR;
  if (name === "kube-router") return path.join(userCacheDir(), "kube-router", kubeRouterVersion);
  if (name === "coredns") return path.join(userCacheDir(), "coredns", corednsVersion);
  return binDir();
}

export function binaryPath(name: KubeBinary): string {
  return path.join(dirOf(name), name);
}

/** Binaries among `names` not built yet (`dir` overrides where all of them are looked for). */
export function missingBinaries(names: readonly KubeBinary[] = controlPlaneBinaries, dir?: string): KubeBinary[] {
  return names.filter((c) => !fs.existsSync(dir ? path.join(dir, c) : binaryPath(c)));
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
    kubelet: kube("kubelet"),
    "kube-proxy": kube("kube-proxy"),
    "kube-router": {
      version: kubeRouterVersion,
      dir: path.join(kubeBuildDir, "kube-router"),
      pkg: "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router",
      ldflags: `-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=${kubeRouterVersion}`,
    },
    // A main of ours linking only the plugins the cluster DNS uses (see tools/kube-build/coredns).
    coredns: { version: corednsVersion, dir: path.join(kubeBuildDir, "coredns"), pkg: ".", ldflags: `-s -w -X github.com/coredns/coredns/coremain.GitCommit=${corednsVersion}` },
  };
}

/**
 * Builds the missing binaries among `names`, one after another (they share most packages, so a
 * cold machine compiles each shared package once), and installs each with a rename. Each build
 * holds a lock on its binary (flock), so a process asking for a binary another one is building
 * (the test run's background build, say) waits for it instead of building it again.
 */
export function buildKubeBinaries(names: readonly KubeBinary[] = controlPlaneBinaries, log: (l: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  // Control-plane binaries first whatever the order asked: the node binaries reuse their packages.
  const ordered = [...controlPlaneBinaries, ...nodeBinaries].filter((n) => names.includes(n));
  const missing = missingBinaries(ordered);
  if (!missing.length) {
    log(`kubernetes binaries cached in ${binDir()}`);
    return;
  }
  const table = recipes();
  for (const name of missing) {
    const r = table[name];
    const dest = dirOf(name);
    fs.mkdirSync(dest, { recursive: true });
    const t0 = Date.now();
    log(`building ${name} (${r.version}) from Go modules; the first build takes minutes...`);
    // Per-process temporary name: concurrent builds (two test runs, say) must not clobber each other.
    const tmp = path.join(dest, `.${name}.${process.pid}.tmp`);
    const final = path.join(dest, name);
    // Under the lock: skip the build when whoever held it before has installed the binary.
    const build = ["nice", "-n", "5", "go", "build", "-trimpath", "-ldflags", r.ldflags, "-o", tmp, r.pkg];
    const res = spawnSync("flock", [path.join(dest, `.${name}.lock`), "sh", "-c", 'f="$1"; test -e "$f" && exit 0; shift; "$@" && mv -f "$0" "$f"', tmp, final, ...build], {
      cwd: r.dir,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, GOFLAGS: "-mod=readonly" },
    });
    fs.rmSync(tmp, { force: true });
    if (res.status !== 0 || !fs.existsSync(final)) throw new Error(`building ${name} failed (go build exit ${res.status ?? res.error?.message}) in ${r.dir}`);
    log(`${name} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}
