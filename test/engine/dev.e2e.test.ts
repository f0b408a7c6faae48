/**
 * The dev stack against a real API server: canary through an Argo Rollouts `Rollout`, a
 * ServiceMonitor, HPA v2 on custom metrics, PDB and NetworkPolicy (the Jobs need a store claim,
 * which simulated nodes cannot bind; the server tier runs them with the real CLI). Kind
 * and the image build need Docker, and the add-on charts the internet, so the stack runs with a
 * pinned image on a local control plane (kubeconfig target). Argo Rollouts is installed by the
 * stack from a local chart path (the air-gapped route), a mirror of the argo-rollouts chart
 * reduced to the upstream CRDs, so the order CRDs-then-custom-resources is the stack's own; the
 * Prometheus Operator CRDs are preinstalled, as on a platform with its own Prometheus.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { gatedUp, openStack } from "../../lib/automation";
import { LocalCluster, start, stop } from "../../lib/cluster/controlPlane";
import { repoRoot } from "../../lib/paths";
import { testImageRef } from "../unit/fixtures";
import { requireEngine } from "../support/engineTier";
import { copyProject } from "../../lib/projectCopy";
import { upstream, upstreamCrds } from "../../lib/upstreamCrds";

const kubectlBin = path.join(repoRoot, ".tools", "bin", "kubectl");

/** A local argo-rollouts chart holding the upstream CRDs only (the real chart is not reachable here). */
function argoRolloutsCrdChart(workDir: string): string {
  const dir = path.join(workDir, "e2e-charts", "argo-rollouts");
  fs.mkdirSync(path.join(dir, "crds"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "Chart.yaml"),
    `apiVersion: v2\nname: argo-rollouts\nversion: 2.37.7\nappVersion: ${upstream.argoRollouts.version}\ndescription: The argo-rollouts chart's CRDs, from the upstream module.\n`,
  );
  upstreamCrds("argoRollouts").forEach((crd, i) => fs.writeFileSync(path.join(dir, "crds", `${i}.yaml`), crd));
  return dir;
}
const namespace = "bijux-atlas";

describe("engine: dev stack (pinned image, preinstalled add-on CRDs) on the local control plane", function () {
  this.timeout(30 * 60 * 1000);
  let workDir: string;
  let dataDir: string;
  let cluster: LocalCluster;
  let stack: Stack;
  let output = "";
  const onOutput = (s: string) => (output += s);
  const kubectl = (args: string[], input?: string) =>
    spawnSync(kubectlBin, ["--kubeconfig", cluster.kubeconfigPath, ...args], { encoding: "utf8", input, timeout: 60_000 });
  const get = (resource: string) => kubectl(["get", resource, "-n", namespace, "-o", "json"]);

  before(async function () {
    await requireEngine(this, { controlPlane: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-dev-plane-"));
    cluster = await start({ dataDir, nodes: 2 });
    // The platform's part: the Prometheus Operator CRDs, as the project publishes them.
    const applied = kubectl(["apply", "--server-side", "-f", "-"], upstreamCrds("prometheusOperator").join("\n---\n"));
    assert.equal(applied.status, 0, applied.stderr);
    const established = kubectl(["wait", "--for=condition=Established", "crd/servicemonitors.monitoring.coreos.com", "--timeout=60s"]);
    assert.equal(established.status, 0, established.stderr);

    workDir = copyProject("atlas-dev-e2e-");
    stack = await openStack("dev", { workDir });
    for (const key of ["atlas:cluster.name", "atlas:cluster.workers", "atlas:image.platform", "atlas:image.tag"]) await stack.removeConfig(key, true);
    const set: Record<string, string> = {
      "atlas:cluster.target": "kubeconfig",
      "atlas:cluster.kubeconfig": cluster.kubeconfigPath,
      "atlas:image.source": "pinned",
      "atlas:image.ref": testImageRef,
      "atlas:monitoring.mode": "preinstalled",
      "atlas:metricsAdapter.mode": "preinstalled",
      "atlas:argoRollouts.mode": "install",
      "atlas:argoRollouts.chart.path": argoRolloutsCrdChart(workDir),
    };
    for (const [k, v] of Object.entries(set)) await stack.setConfig(k, { value: v }, true);
    await stack.setConfig("atlas:cache.pinnedDatasets[0]", { value: "112/homo_sapiens/GRCh38" }, true);
  });

  after(async function () {
    this.timeout(5 * 60 * 1000);
    if (dataDir) await stop(dataDir);
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  beforeEach(() => (output = ""));

  const order: string[] = [];

  it("up succeeds with the policy pack enforced", async () => {
    const r = await gatedUp(stack, workDir, {
      onOutput,
      onEvent: (e) => {
        const done = e.resOutputsEvent?.metadata;
        if (done?.op === "create") order.push(`${done.type}::${done.urn.split("::").pop()}`);
      },
    });
    assert.equal(r.summary.result, "succeeded", output);
  });

  it("the stack created the Rollout CRD before the Rollout that needs it", () => {
    const crd = order.findIndex((o) => o.startsWith("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition::") && o.endsWith("rollouts.argoproj.io"));
    const rollout = order.findIndex((o) => o.startsWith("kubernetes:argoproj.io/v1alpha1:Rollout::"));
    assert.ok(crd >= 0 && rollout > crd, `creation order: ${order.join(", ")}`);
  });

  it("the API server accepted the canary Rollout instead of a Deployment", () => {
    const rollouts = JSON.parse(get("rollouts.argoproj.io").stdout).items;
    const deployments = JSON.parse(get("deployments.apps").stdout).items;
    assert.deepEqual([rollouts.map((o: any) => o.metadata.name), deployments.length], [["atlas"], 0]);
  });

  it("the API server accepted the ServiceMonitor", () => {
    assert.equal(JSON.parse(get("servicemonitors.monitoring.coreos.com").stdout).items.length, 1);
  });

  it("the API server accepted the autoscaling/v2 HPA with CPU and both Pods metrics, on the Rollout", () => {
    const [hpa] = JSON.parse(get("horizontalpodautoscalers.v2.autoscaling").stdout).items;
    assert.deepEqual(
      { target: hpa.spec.scaleTargetRef.kind, metrics: hpa.spec.metrics.map((m: any) => m.resource?.name ?? m.pods?.metric.name) },
      { target: "Rollout", metrics: ["cpu", "bijux_http_request_latency_p95_seconds", "bijux_inflight_heavy_queries"] },
    );
  });

  it("the API server accepted the PDB and the NetworkPolicy", () => {
    const counts = ["poddisruptionbudgets.policy", "networkpolicies.networking.k8s.io"].map((r) => JSON.parse(get(r).stdout).items.length);
    assert.deepEqual(counts, [1, 1]);
  });

  it("a second up changes nothing", async () => {
    const r = await gatedUp(stack, workDir, { onOutput });
    assert.deepEqual(Object.keys(r.summary.resourceChanges ?? {}), ["same"]);
  });

  it("destroy removes every object and the namespace", async () => {
    const r = await stack.destroy({ onOutput });
    assert.equal(r.summary.result, "succeeded");
    const ns = kubectl(["get", "namespace", namespace]);
    assert.match(ns.stderr, /NotFound/);
  });
});
