/**
 * Benchmark of the real engine, in one run: wall time of `pulumi preview` for each stack that can
 * run on this machine, with and without the policy pack, and of `helm template` plus
 * `atlas-policy check` over the same manifests (the chart values the program computes for the
 * offline stack).
 *
 *   npx ts-node --transpile-only bench/engine.ts [--runs 5]
 *
 * Runs on a throw-away copy of the project; prints a table and the raw samples as JSON.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { stringify } from "yaml";
import { openStack, policyOptions } from "../lib/automation";
import { toolchain } from "../lib/toolchain";
import { start as startLocal, stop as stopLocal } from "../lib/cluster/controlPlane";
import { buildKubeBinaries } from "../lib/toolchain/kube";
import { helmPath } from "../lib/helm";
import { repoRoot } from "../lib/paths";
import { atlasChartValues, splitImageRef } from "../components/release/values";
import { copyProject } from "../lib/projectCopy";
import { upstreamCrds } from "../lib/upstreamCrds";
import { stackFileStackConfig } from "../config/stackFile";

/** The dev stack measured with a pinned image (no Docker here to build one); never pulled on the local control plane. */
const testImageRef = `registry.example.org/bijux/bijux-atlas:0.1.0@sha256:${"ab".repeat(32)}`;

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

interface Variant {
  label: string;
  stack: string;
  set: Record<string, string>;
  remove?: string[];
}

/** Variants measured: each is a stack plus config changed on its copy. */
function variants(devKubeconfig: string): Variant[] {
  return [
    { label: "offline (render target)", stack: "offline", set: {} },
    // The same stack on the Docker-free control plane (the program starts it; stopped afterwards).
    { label: "offline (local target)", stack: "offline", set: { "atlas:cluster.target": "local" } },
    // dev as the e2e tier runs it: Kind and the image build need Docker, the add-on charts the
    // internet, so a pinned image on a local control plane with the add-ons' CRDs preinstalled.
    {
      label: "dev (pinned image, local control plane, add-on CRDs preinstalled)",
      stack: "dev",
      remove: ["atlas:cluster.name", "atlas:cluster.workers", "atlas:image.context", "atlas:image.platform", "atlas:image.tag"],
      set: {
        "atlas:cluster.target": "kubeconfig",
        "atlas:cluster.kubeconfig": devKubeconfig,
        "atlas:image.source": "pinned",
        "atlas:image.ref": testImageRef,
        "atlas:monitoring.mode": "preinstalled",
        "atlas:metricsAdapter.mode": "preinstalled",
        "atlas:argoRollouts.mode": "preinstalled",
      },
    },
  ];
}
/** Stacks that cannot run here, and why (printed with the results). */
const notRunnable: Record<string, string> = {
  prod: "its preview installs the metrics adapter and Argo Rollouts from their internet chart repositories",
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
  buildKubeBinaries();
  const devPlane = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-bench-plane-"));
  const devCluster = await startLocal({ dataDir: devPlane, nodes: 1 });
  const crds = spawnSync(path.join(repoRoot, ".tools", "bin", "kubectl"), ["--kubeconfig", devCluster.kubeconfigPath, "apply", "--server-side", "-f", "-"], {
    input: [...upstreamCrds("argoRollouts"), ...upstreamCrds("prometheusOperator")].join("\n---\n"),
    encoding: "utf8",
  });
  if (crds.status !== 0) throw new Error(`applying the add-on CRDs failed: ${crds.stderr}`);

  for (const v of variants(devCluster.kubeconfigPath)) {
    const workDir = copyProject("atlas-bench-");
    try {
      const stack = await openStack(v.stack, { workDir });
      for (const k of v.remove ?? []) await stack.removeConfig(k, true);
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
        // The same manifests through helm and the standalone checker: the chart values the
        // program computes for the offline stack (its image is pinned, so they are plain).
        const config = stackFileStackConfig("offline");
        if (config.image.source !== "pinned") throw new Error("the offline stack's image is expected to be pinned");
        const chartValues = atlasChartValues(config, { image: splitImageRef(config.image.ref) });
        const valuesFile = path.join(workDir, "bench-values.yaml");
        fs.writeFileSync(valuesFile, stringify(chartValues));
        const manifests = path.join(workDir, "bench-manifests.yaml");
        const helm = helmPath();
        const checker = path.join(repoRoot, "node_modules", ".bin", "atlas-policy");
        const policyConfig = path.join(workDir, "policy", "config", "offline.json");
        const templ: number[] = [];
        const check: number[] = [];
        const both: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t = await time(() =>
            fs.writeFileSync(manifests, run(helm, ["template", config.release.name, path.join(workDir, "charts", "bijux-atlas"), "-n", config.release.namespace, "-f", valuesFile])),
          );
          const c = await time(() => run(checker, ["check", manifests, "--config", policyConfig]));
          templ.push(t);
          check.push(c);
          both.push(t + c);
        }
        rows.push({ what: "helm template (offline values)", samples: templ });
        rows.push({ what: "atlas-policy check (those manifests)", samples: check });
        rows.push({ what: "helm template + atlas-policy check", samples: both });
      }
    } finally {
      await stopLocal(path.join(workDir, ".local-cluster", v.stack));
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  await stopLocal(devPlane);

  const versions = tc.tools.map((c) => `${c.name} ${c.version}`).join(", ");
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
