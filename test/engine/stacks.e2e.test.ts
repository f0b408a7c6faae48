/**
 * The real Pulumi engine on the real program: preview with the policy pack, up to the render
 * target, idempotence, a one-value diff, a refused violation and destroy, on a copy of the
 * project with its own local state. The offline stack on its render target; the dev stack and the
 * offline stack against a real API server are in dev.e2e and local.e2e.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { gatedUp, openStack, policyOptions } from "../../lib/automation";
import { repoRoot } from "../../lib/paths";
import { requireEngine } from "../support/engineTier";
import { copyProject, filesUnder } from "../../lib/projectCopy";

describe("engine: offline stack with the real Pulumi CLI and kubernetes provider", function () {
  this.timeout(30 * 60 * 1000);
  let workDir: string;
  let stack: Stack;
  let rendered: string;
  let output = "";
  const onOutput = (s: string) => (output += s);

  before(async function () {
    await requireEngine(this);
    workDir = copyProject();
    rendered = path.join(workDir, "rendered", "offline");
    stack = await openStack("offline", { workDir });
  });

  after(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  beforeEach(() => (output = ""));

  it("previews with the policy pack enforced and no violation", async () => {
    const r = await stack.preview({ ...policyOptions(workDir, "offline"), onOutput });
    assert.ok((r.changeSummary.create ?? 0) >= 10, JSON.stringify(r.changeSummary));
    assert.match(output, /Policies:\s+✅ bijux-atlas@v0\.1\.0/);
  });

  it("up writes manifests to rendered/offline that atlas-policy check passes", async () => {
    const r = await gatedUp(stack, workDir, { onOutput });
    assert.equal(r.summary.result, "succeeded");
    assert.equal(r.outputs.renderedDirectory.value, rendered);
    const kinds = Object.keys(filesUnder(rendered)).map((f) => path.basename(f).split("-")[1]).sort();
    assert.deepEqual(kinds, ["configmap", "deployment", "horizontalpodautoscaler", "namespace", "networkpolicy", "poddisruptionbudget", "service", "serviceaccount"]);
    const check = spawnSync(path.join(repoRoot, "node_modules", ".bin", "atlas-policy"), ["check", rendered, "--config", path.join(workDir, "policy", "config", "offline.json")], { encoding: "utf8" });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });

  it("a second up changes nothing", async () => {
    const r = await gatedUp(stack, workDir, { onOutput });
    assert.deepEqual(Object.keys(r.summary.resourceChanges ?? {}), ["same"]);
  });

  it("changing one config value previews as exactly the expected diff", async () => {
    await stack.setConfig("atlas:server.logLevel", { value: "debug" }, true);
    try {
      const updated: string[] = [];
      const r = await stack.preview({
        ...policyOptions(workDir, "offline"),
        onEvent: (e: EngineEvent) => {
          const m = e.resourcePreEvent?.metadata;
          if (m && m.op === "update") updated.push(`${m.type}::${m.urn.split("::").pop()}`);
        },
      });
      // The ConfigMap carries the value; the Deployment's config checksum rolls the pods.
      assert.deepEqual(updated.sort(), ["kubernetes:apps/v1:Deployment::atlas-chart:bijux-atlas/atlas", "kubernetes:core/v1:ConfigMap::atlas-chart:bijux-atlas/atlas"]);
      assert.deepEqual(Object.keys(r.changeSummary).sort(), ["same", "update"]);
    } finally {
      await stack.removeConfig("atlas:server.logLevel", true);
    }
  });

  it("refuses a stack with a policy violation at preview, naming the policy, and writes nothing", async () => {
    const before = filesUnder(rendered);
    await stack.setConfig("atlas:networkPolicy.enabled", { value: "false" }, true);
    try {
      await assert.rejects(gatedUp(stack, workDir, { onOutput }));
      assert.match(output, /\[mandatory\]\s+atlas-egress/);
      assert.match(output, /not selected by any NetworkPolicy whose policyTypes include Egress/);
      assert.deepEqual(filesUnder(rendered), before);
    } finally {
      await stack.removeConfig("atlas:networkPolicy.enabled", true);
    }
  });

  it("destroy leaves nothing behind", async () => {
    await stack.destroy({ onOutput });
    assert.deepEqual(filesUnder(rendered), {});
    const state = await stack.exportStack();
    assert.deepEqual(state.deployment.resources ?? [], []);
  });
});
