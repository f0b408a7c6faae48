/**
 * The local control plane, standalone (for debugging, and what the `local` cluster target runs):
 *
 *   npx ts-node --transpile-only scripts/local-cluster/cluster.ts build            # pinned binaries, cached
 *   npx ts-node --transpile-only scripts/local-cluster/cluster.ts start DATA_DIR [--nodes N]
 *   npx ts-node --transpile-only scripts/local-cluster/cluster.ts status DATA_DIR
 *   npx ts-node --transpile-only scripts/local-cluster/cluster.ts stop DATA_DIR [--keep-data]
 */
import { Command } from "commander";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { binDir, components, etcdVersion, kubernetesVersion, kwokVersion, missingBinaries, running, start, stop } from "../../lib/localCluster";

const buildRoot = path.resolve(__dirname, "..", "..", "tools", "kube-build");

/** Builds the missing binaries from the pinned build modules through the Go module proxy. */
export function build(log: (l: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  const dest = binDir();
  const missing = missingBinaries(dest);
  if (!missing.length) {
    log(`control-plane binaries cached in ${dest}`);
    return;
  }
  fs.mkdirSync(dest, { recursive: true });
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
  const recipes: Record<string, { dir: string; pkg: string; ldflags: string }> = {
    etcd: { dir: path.join(buildRoot, "etcd"), pkg: ".", ldflags: "-s -w" },
    "kube-apiserver": { dir: buildRoot, pkg: "k8s.io/kubernetes/cmd/kube-apiserver", ldflags: kubeLd },
    "kube-controller-manager": { dir: buildRoot, pkg: "k8s.io/kubernetes/cmd/kube-controller-manager", ldflags: kubeLd },
    "kube-scheduler": { dir: buildRoot, pkg: "k8s.io/kubernetes/cmd/kube-scheduler", ldflags: kubeLd },
    kwok: { dir: path.join(buildRoot, "kwok"), pkg: "sigs.k8s.io/kwok/cmd/kwok", ldflags: `-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${kwokVersion}` },
  };
  for (const name of missing) {
    const r = recipes[name];
    const t0 = Date.now();
    log(`building ${name} (${name === "etcd" ? etcdVersion : name === "kwok" ? kwokVersion : kubernetesVersion}) from Go modules; the first build takes minutes...`);
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

if (require.main === module) {
  const program = new Command("local-cluster").description("Docker-free local Kubernetes control plane");
  program.command("build").description("build the pinned control-plane binaries (cached)").action(() => build());
  program
    .command("start")
    .argument("<dataDir>")
    .option("--nodes <n>", "simulated nodes", "1")
    .action(async (dataDir: string, o: { nodes: string }) => {
      build();
      const c = await start({ dataDir, nodes: Number(o.nodes) });
      process.stdout.write(`${c.kubeconfigPath}\n`);
    });
  program
    .command("status")
    .argument("<dataDir>")
    .action((dataDir: string) => {
      const pids = running(dataDir);
      for (const c of components) process.stdout.write(`${c.padEnd(24)} ${pids[c] ? `running (pid ${pids[c]})` : "stopped"}\n`);
      process.exitCode = components.every((c) => pids[c]) ? 0 : 1;
    });
  program
    .command("stop")
    .argument("<dataDir>")
    .option("--keep-data", "keep the data directory")
    .action(async (dataDir: string, o: { keepData?: boolean }) => stop(dataDir, { keepData: o.keepData }));
  program.parseAsync(process.argv).catch((e: unknown) => {
    process.stderr.write(`local-cluster: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
