/**
 * Every command a rendered pod or Job runs exists in the pinned binaries with the arguments given:
 * the executable is one of the image's binaries, the server gets no arguments it refuses, and the
 * CLI parses the subcommand and every flag (clap parses all arguments before `--help`), with each
 * option its usage line marks as required present.
 */
import { strict as assert } from "assert";
import { run } from "../../lib/toolchain/process";
import { imageBinaries } from "../../contract/server";
import { describeObject } from "../../contract/k8s";
import { objectsOf, planOf, podBearers, renders } from "./renders";
import { requireServerTier, scratchDir, ServerTier } from "./support";

/** The options a clap usage line lists outside [OPTIONS]: the required ones. */
function requiredOptions(help: string): string[] {
  const usage = /^Usage: (.*)$/m.exec(help)?.[1] ?? "";
  return [...usage.matchAll(/(?<![\[\w])(--[a-z0-9-]+)\s+</g)].map((m) => m[1]);
}

describe("commands of the rendered pods and Jobs (pinned binaries)", function () {
  let tier: ServerTier;
  let claimDir: string;
  before(async function () {
    tier = await requireServerTier(this);
    claimDir = scratchDir(tier, "claims");
  });

  for (const r of renders) {
    it(`${r.name} ${r.source} render: every container runs an image binary with arguments it accepts`, async () => {
      const objects = objectsOf(r);
      const problems: string[] = [];
      let checked = 0;
      for (const obj of podBearers(objects)) {
        const plan = planOf(objects, obj, claimDir);
        for (const c of [...plan.init, ...plan.main]) {
          const where = `${describeObject(obj)} container ${c.name}: ${c.command.join(" ")}`;
          const [exe, ...args] = c.command;
          checked++;
          if (exe === imageBinaries.server) {
            // The server has no subcommands; whatever it is given must pass its own parsing and checks.
            const v = await run(tier.binaries.server, [...args, "--validate-config"], { env: { ...c.env }, timeoutMs: 30_000 });
            if (v.code !== 0) problems.push(`${where}: exit ${v.code}: ${v.stderr.trim()}`);
          } else if (exe === imageBinaries.cli) {
            const h = await run(tier.binaries.cli, [...args, "--help"], { env: { ...c.env }, timeoutMs: 30_000 });
            if (h.code !== 0) {
              problems.push(`${where}: exit ${h.code}: ${(h.stderr || h.stdout).trim()}`);
              continue;
            }
            const missing = requiredOptions(h.stdout).filter((o) => !args.includes(o));
            if (missing.length) problems.push(`${where}: missing required ${missing.join(", ")}`);
          } else {
            problems.push(`${where}: ${exe} is not a binary of the image (${Object.values(imageBinaries).join(", ")})`);
          }
        }
      }
      assert.ok(checked > 0, "no containers rendered");
      assert.deepEqual(problems, []);
    });
  }

  it("the CLI check tells a misspelt subcommand from a real one", async () => {
    const bad = await run(tier.binaries.cli, ["catalog", "prommote", "--help"], { timeoutMs: 30_000 });
    const good = await run(tier.binaries.cli, ["catalog", "promote", "--help"], { timeoutMs: 30_000 });
    assert.deepEqual([bad.code !== 0, good.code], [true, 0]);
  });

  it("the CLI check finds the options a usage line requires", async () => {
    const h = await run(tier.binaries.cli, ["smoke", "--help"], { timeoutMs: 30_000 });
    assert.deepEqual(requiredOptions(h.stdout), ["--root", "--dataset"]);
  });
});
