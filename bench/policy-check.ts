/**
 * Benchmark of the atlas-policy checker as users run it (the installed bin, whole process) against
 * kube-score, built here from its pinned Go module in the same run, on the same files: one chart
 * render (8 objects) and generated corpora of 1,000, 10,000 and 50,000 objects (copies of every
 * profile's render, each copy in its own namespace so references between objects stay whole).
 * Reports the median wall time, objects per second and peak RSS of each process; with
 * `--preview`, also `pulumi preview` of the offline stack with and without the policy pack.
 *
 *   npx ts-node --transpile-only bench/policy-check.ts [--runs 5] [--sizes 8,1000,10000,50000] [--preview]
 *
 * Targets (issue: the policy gate): one render under 0.2 s; 10,000 objects at 20,000 objects/s or
 * more with peak RSS under 200 MiB; time linear from 1,000 to 50,000 objects; preview with the
 * pack within 1.3x of preview without it.
 */
import { spawnSync } from "child_process";
import { dump } from "js-yaml";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { openStack, policyOptions } from "../lib/automation";
import { K8sObject, profiles, renderProfile } from "../lib/chartProfiles";
import { repoRoot } from "../lib/paths";
import { ensurePolicyBuilt } from "../lib/policyBuild";
import { copyProject } from "../lib/projectCopy";
import { debianPackages, ensureDebianPackages } from "../lib/toolchain/debian";
import { ensureGoTool, goTools } from "../lib/toolchain/goTool";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "5" }, sizes: { type: "string", default: "8,1000,10000,50000" }, preview: { type: "boolean", default: false } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const sizes = values.sizes!.split(",").map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes must be positive integers separated by commas, got ${values.sizes}`);

const oneRender = "default";

/** `n` objects: the default profile's render when n is its size, else copies of every profile's render. */
function corpus(n: number): K8sObject[] {
  const first = renderProfile(oneRender);
  if (n === first.length) return first;
  const renders = profiles.map((p) => renderProfile(p.name));
  const out: K8sObject[] = [];
  for (let i = 0; out.length < n; i++) {
    renders.forEach((render, p) => {
      for (const t of render) {
        if (out.length >= n) return;
        const o = structuredClone(t);
        o.metadata.namespace = `atlas-${i}-${p}`;
        out.push(o);
      }
    });
  }
  return out;
}

interface Sample {
  wall: number;
  maxRssKiB: number;
}

/** Runs a command to completion under GNU time: wall time (monotonic, from here) and the process's peak RSS. */
function measure(cmd: string, args: string[], okStatus: number[]): Sample {
  const report = path.join(os.tmpdir(), `atlas-bench-time-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "-o", report, cmd, ...args], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const maxRssKiB = Number(fs.readFileSync(report, "utf8").trim().split("\n").pop());
  fs.rmSync(report, { force: true });
  if (!okStatus.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${(r.stderr ?? "").slice(-2000)}`);
  return { wall, maxRssKiB };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Row {
  tool: string;
  objects: number;
  wall: number;
  rssMiB: number;
  samples: Sample[];
}

async function previewRows(): Promise<{ what: string; samples: number[] }[]> {
  const workDir = copyProject("atlas-bench-policy-");
  try {
    const stack = await openStack("offline", { workDir });
    // One unmeasured preview each way warms the provider plugins and the pack's modules.
    await stack.preview();
    await stack.preview(policyOptions(workDir, "offline"));
    const without: number[] = [];
    const withPack: number[] = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`bench: pulumi preview ${i + 1}/${runs}\n`);
      let t0 = process.hrtime.bigint();
      await stack.preview();
      without.push(Number(process.hrtime.bigint() - t0) / 1e9);
      t0 = process.hrtime.bigint();
      await stack.preview(policyOptions(workDir, "offline"));
      withPack.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return [
      { what: "pulumi preview -s offline", samples: without },
      { what: "pulumi preview -s offline --policy-pack policy", samples: withPack },
    ];
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  ensureDebianPackages(debianPackages.benchmarks);
  ensurePolicyBuilt();
  const kubeScore = ensureGoTool(goTools.kubeScore);
  const checker = path.join(repoRoot, "node_modules", ".bin", "atlas-policy");
  const tools = [
    // 0 clean, 1 a mandatory finding (the all-features Rollouts without their CRDs are advisory only).
    { tool: "atlas-policy check", run: (file: string) => measure(checker, ["check", file], [0, 1]) },
    // kube-score exits 1 when it has critical findings, which its default checks always have here.
    { tool: `kube-score score (${goTools.kubeScore.version})`, run: (file: string) => measure(kubeScore, ["score", "--output-format", "ci", file], [0, 1]) },
  ];

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-policy-bench-"));
  const rows: Row[] = [];
  try {
    for (const n of sizes) {
      const objects = corpus(n);
      const file = path.join(dir, `corpus-${n}.yaml`);
      fs.writeFileSync(file, objects.map((o) => dump(o, { noRefs: true })).join("---\n"));
      for (const t of tools) {
        process.stderr.write(`bench: ${t.tool}, ${objects.length} objects (${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MiB)\n`);
        // One unmeasured run warms the page cache for both tools; large corpora need no warming.
        if (objects.length <= 10_000) t.run(file);
        const samples = Array.from({ length: runs }, () => t.run(file));
        rows.push({ tool: t.tool, objects: objects.length, wall: median(samples.map((s) => s.wall)), rssMiB: median(samples.map((s) => s.maxRssKiB)) / 1024, samples });
      }
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // The floor on this machine right now: an empty Node.js process (the checker cannot start faster).
  const floor = median(Array.from({ length: runs }, () => measure(process.execPath, ["-e", "0"], [0]).wall));
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  process.stdout.write(`\natlas-policy vs kube-score, whole process, median of ${runs} runs; ${os.cpus().length} CPUs, load average ${load}\n\n`);
  process.stdout.write("| objects | tool | wall (s) | objects/s | peak RSS (MiB) |\n|---|---|---|---|---|\n");
  for (const r of rows) process.stdout.write(`| ${r.objects} | ${r.tool} | ${r.wall.toFixed(3)} | ${Math.round(r.objects / r.wall)} | ${r.rssMiB.toFixed(0)} |\n`);
  process.stdout.write(`\nfloor: an empty node process takes ${floor.toFixed(3)} s here now\n`);
  const ours = rows.filter((r) => r.tool === "atlas-policy check" && r.objects >= 1000);
  if (ours.length >= 2) {
    const [lo, hi] = [ours[0], ours[ours.length - 1]];
    process.stdout.write(`\natlas-policy growth ${lo.objects} -> ${hi.objects} objects: time x${(hi.wall / lo.wall).toFixed(1)} for x${(hi.objects / lo.objects).toFixed(0)} objects\n`);
  }

  const raw: unknown[] = [...rows];
  if (values.preview) {
    const preview = await previewRows();
    process.stdout.write(`\n| preview | min (s) | median (s) | max (s) |\n|---|---|---|---|\n`);
    for (const p of preview) process.stdout.write(`| ${p.what} | ${Math.min(...p.samples).toFixed(2)} | ${median(p.samples).toFixed(2)} | ${Math.max(...p.samples).toFixed(2)} |\n`);
    process.stdout.write(`\npreview with the pack / without: x${(median(preview[1].samples) / median(preview[0].samples)).toFixed(2)}\n`);
    raw.push(...preview);
  }
  process.stdout.write(`\n${JSON.stringify(raw)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
