/**
 * Ephemeral test clusters on this machine (root; Debian): a local control plane with a real node,
 * the atlas image built from the pinned server, the chart's offline profile deployed on it and
 * smoke-tested through its Service.
 *
 *   npm run ephemeral -- up [--name N]     # prints the kubeconfig path and the time of each phase
 *   npm run ephemeral -- down [--name N]   # stops everything it started and removes its data
 *   npm run ephemeral -- list
 */
import { Command } from "commander";
import { checkName, down, list, up } from "../lib/cluster/ephemeral";

const log = (l: string) => process.stderr.write(`${l}\n`);
const program = new Command("ephemeral").description("named ephemeral clusters with a real node and the atlas release");
program
  .command("up")
  .option("--name <name>", "cluster name", "atlas")
  .action(async (o: { name: string }) => {
    const t0 = Date.now();
    const name = checkName(o.name);
    const r = await up(name, log).catch((e: Error) => {
      throw new Error(`${e.message}\n(what was started keeps running for inspection; \`npm run ephemeral -- down --name ${name}\` removes it)`);
    });
    for (const [phase, s] of Object.entries(r.timings)) log(`  ${phase.padEnd(14)} ${s.toFixed(1)} s`);
    log(`ephemeral cluster ${r.name} up in ${((Date.now() - t0) / 1000).toFixed(1)} s; image ${r.imageRef}; Service answered: ${r.smoke}`);
    process.stdout.write(`${r.kubeconfigPath}\n`);
  });
program
  .command("down")
  .option("--name <name>", "cluster name", "atlas")
  .action(async (o: { name: string }) => {
    const existed = await down(checkName(o.name));
    log(existed ? `ephemeral cluster ${o.name} stopped and removed` : `no ephemeral cluster named ${o.name}`);
  });
program.command("list").action(() => {
  for (const e of list()) process.stdout.write(`${e.name}\t${e.running ? "running" : "stopped"}\t${e.slot ?? "-"}\t${e.kubeconfigPath}\n`);
});
program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`ephemeral: ${(e as Error).message}\n`);
  process.exit(1);
});
