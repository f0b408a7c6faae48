/**
 * The local control plane, standalone (for debugging, and what the `local` cluster target runs):
 *
 *   npx ts-node --transpile-only scripts/local-cluster.ts build            # pinned binaries, cached
 *   npx ts-node --transpile-only scripts/local-cluster.ts start DATA_DIR [--nodes N]
 *   npx ts-node --transpile-only scripts/local-cluster.ts status DATA_DIR
 *   npx ts-node --transpile-only scripts/local-cluster.ts stop DATA_DIR [--keep-data]
 */
import { Command } from "commander";
import { running, start, stop } from "../lib/cluster/controlPlane";
import { buildKubeBinaries, controlPlaneBinaries } from "../lib/toolchain/kube";

const program = new Command("local-cluster").description("Docker-free local Kubernetes control plane");
program.command("build").description("build the pinned control-plane binaries (cached)").action(() => buildKubeBinaries());
program
  .command("start")
  .argument("<dataDir>")
  .option("--nodes <n>", "simulated nodes", "1")
  .action(async (dataDir: string, o: { nodes: string }) => {
    buildKubeBinaries();
    const c = await start({ dataDir, nodes: Number(o.nodes) });
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
program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`local-cluster: ${(e as Error).message}\n`);
  process.exit(1);
});
