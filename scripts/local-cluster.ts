/**
 * The local control plane, standalone (for debugging, and what the `local` cluster target runs):
 *
 *   npx ts-node --transpile-only scripts/local-cluster.ts build [--real-nodes]   # pinned binaries, cached
 *   npx ts-node --transpile-only scripts/local-cluster.ts start DATA_DIR [--nodes N] [--real-nodes N]
 *   npx ts-node --transpile-only scripts/local-cluster.ts status DATA_DIR
 *   npx ts-node --transpile-only scripts/local-cluster.ts stop DATA_DIR [--keep-data]
 *   npx ts-node --transpile-only scripts/local-cluster.ts cleanup [--under DIR]    # after a crash
 */
import { Command } from "commander";
import { cleanupStale, running, start, stop } from "../lib/cluster/controlPlane";
import { buildKubeBinaries, controlPlaneBinaries, nodeBinaries } from "../lib/toolchain/kube";

function count(what: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new Error(`${what}: received ${JSON.stringify(v)}; allowed: a whole number`);
  return Number(v);
}

const program = new Command("local-cluster").description("Docker-free local Kubernetes control plane");
program
  .command("build")
  .description("build the pinned control-plane binaries (cached)")
  .option("--real-nodes", "also the binaries real nodes run (kubelet, kube-proxy, kube-router, CoreDNS)")
  .action((o: { realNodes?: boolean }) => buildKubeBinaries(o.realNodes ? [...controlPlaneBinaries, ...nodeBinaries] : controlPlaneBinaries));
program
  .command("start")
  .argument("<dataDir>")
  .option("--nodes <n>", "simulated nodes", "1")
  .option("--real-nodes <n>", "real nodes (containerd, kubelet, kube-proxy, NetworkPolicy firewall; needs root)", "0")
  .action(async (dataDir: string, o: { nodes: string; realNodes: string }) => {
    const realNodes = count("--real-nodes", o.realNodes);
    buildKubeBinaries(realNodes > 0 ? [...controlPlaneBinaries, ...nodeBinaries] : controlPlaneBinaries);
    const c = await start({ dataDir, nodes: count("--nodes", o.nodes), realNodes });
    process.stdout.write(`${c.kubeconfigPath}\n`);
  });
program
  .command("status")
  .argument("<dataDir>")
  .action((dataDir: string) => {
    const pids = running(dataDir);
    for (const c of controlPlaneBinaries) process.stdout.write(`${c.padEnd(24)} ${pids[c] ? `running (pid ${pids[c]})` : "stopped"}\n`);
    process.exitCode = controlPlaneBinaries.every((c) => pids[c]) ? 0 : 1;
  });
program
  .command("stop")
  .argument("<dataDir>")
  .option("--keep-data", "keep the data directory")
  .action(async (dataDir: string, o: { keepData?: boolean }) => stop(dataDir, { keepData: o.keepData }));
program
  .command("cleanup")
  .description("tear down real nodes whose control plane is gone (after a crash); with --under, every cluster below that directory")
  .option("--under <dir>", "stop every cluster whose data directory is below this one")
  .action(async (o: { under?: string }) => {
    const freed = await cleanupStale({ under: o.under, log: (l) => process.stderr.write(`${l}\n`) });
    process.stdout.write(`${freed.length} cluster(s) cleaned up\n`);
  });
program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`local-cluster: ${(e as Error).message}\n`);
  process.exit(1);
});
