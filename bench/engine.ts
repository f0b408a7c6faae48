/**
 * Benchmark of the real engine, in one run: wall time of `pulumi preview` for each stack that can
 * run on this machine, with and without the policy pack, and of `helm template` plus
 * `atlas-policy check` over the same manifests (the chart values the offline stack hands the
 * kubernetes provider, read back from its state after an `up`).
 *
 *   npx ts-node --transpile-only bench/engine.ts [--runs 5]
 *
 * Runs on a throw-away copy of the project; prints a table and the raw samples as JSON.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { stringify } from "yaml";
import { openStack, policyOptions } from "../lib/engine";
import { toolchain } from "../lib/toolchain";
import { helmPath, repoRoot } from "../lib/tools";
import { copyProject } from "../test/support/project";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

/** Variants measured: each is a stack plus config set on its copy. */
const variants: { label: string; stack: string; set: Record<string, string> }[] = [
  { label: "offline (render target)", stack: "offline", set: {} },
  // The same stack pointed at the Docker-free control plane: preview declares it without starting it.
  { label: "offline (local target)", stack: "offline", set: { "atlas:cluster.target": "local" } },
];
/** Stacks that cannot run here, and why (printed with the results). */
const notRunnable: Record<string, string> = {
  dev: "needs a Docker engine (Kind, image build) and the docker and command providers",
  prod: "needs a reachable cluster and the add-on charts from their internet repositories",
};

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { min: s[0], median, max: s[s.length - 1] };
}

function run(cmd: string, args: string[], opts: { cwd?: string; okStatus?: number[] } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (!(opts.okStatus ?? [0]).includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

async function main(): Promise<void> {
  process.stderr.write("bench: providing the toolchain\n");
  const tc = await toolchain();
  const rows: { what: string; samples: number[] }[] = [];

  for (const v of variants) {
    const workDir = copyProject("atlas-bench-");
    try {
      const stack = await openStack(v.stack, { workDir });
      for (const [k, val] of Object.entries(v.set)) await stack.setConfig(k, { value: val }, true);
      // One unmeasured preview warms the provider plugins and the TypeScript compile cache.
      await stack.preview();
      const without: number[] = [];
      const withPack: number[] = [];
      for (let i = 0; i < runs; i++) {
        process.stderr.write(`bench: ${v.label}: preview ${i + 1}/${runs}\n`);
        without.push(await time(() => stack.preview()));
        withPack.push(await time(() => stack.preview(policyOptions(workDir, v.stack))));
      }
      rows.push({ what: `pulumi preview, ${v.label}`, samples: without });
      rows.push({ what: `pulumi preview --policy-pack, ${v.label}`, samples: withPack });

      if (v.stack === "offline" && Object.keys(v.set).length === 0) {
        // The same manifests through helm and the standalone checker.
        await stack.up();
        const state = await stack.exportStack();
        const chart = (state.deployment.resources ?? []).find((r: { type: string }) => r.type === "kubernetes:helm.sh/v4:Chart");
        if (!chart) throw new Error("no kubernetes:helm.sh/v4:Chart in the offline stack's state");
        const valuesFile = path.join(workDir, "bench-values.yaml");
        fs.writeFileSync(valuesFile, stringify(chart.inputs.values));
        const manifests = path.join(workDir, "bench-manifests.yaml");
        const helm = helmPath();
        const checker = path.join(repoRoot, "node_modules", ".bin", "atlas-policy");
        const policyConfig = path.join(workDir, "policy", "config", "offline.json");
        const templ: number[] = [];
        const check: number[] = [];
        const both: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t = await time(() =>
            fs.writeFileSync(manifests, run(helm, ["template", chart.inputs.name ?? "atlas", path.join(workDir, "charts", "bijux-atlas"), "-n", chart.inputs.namespace ?? "bijux-atlas", "-f", valuesFile])),
          );
          const c = await time(() => run(checker, ["check", manifests, "--config", policyConfig]));
          templ.push(t);
          check.push(c);
          both.push(t + c);
        }
        rows.push({ what: "helm template (offline values)", samples: templ });
        rows.push({ what: "atlas-policy check (those manifests)", samples: check });
        rows.push({ what: "helm template + atlas-policy check", samples: both });
        await stack.destroy();
      }
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }

  const versions = tc.components.map((c) => `${c.name} ${c.version}`).join(", ");
  process.stdout.write(`\nengine benchmark, ${runs} runs each (seconds); ${versions}\n\n`);
  process.stdout.write(`| what | min | median | max |\n|---|---|---|---|\n`);
  for (const r of rows) {
    const s = stats(r.samples);
    process.stdout.write(`| ${r.what} | ${s.min.toFixed(2)} | ${s.median.toFixed(2)} | ${s.max.toFixed(2)} |\n`);
  }
  for (const [stack, why] of Object.entries(notRunnable)) process.stdout.write(`\nnot measured: ${stack}: ${why}`);
  process.stdout.write(`\n\n${JSON.stringify(rows)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
