/**
 * The real engine against a real API server: the offline stack with `cluster.target: local`, so
 * `pulumi up` starts the Docker-free control plane (etcd, kube-apiserver, controller-manager,
 * scheduler, kwok nodes) as part of the stack and `destroy` stops it. Faults: the API server
 * killed in the middle of an `up`, and an `up` interrupted with SIGINT.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { gatedUp, openStack } from "../../lib/automation";
import { killProcess, running } from "../../lib/cluster/controlPlane";
import { repoRoot } from "../../lib/paths";
import { requireEngine } from "../support/engineTier";
import { copyProject } from "../../lib/projectCopy";

const kubectlBin = path.join(repoRoot, ".tools", "bin", "kubectl");
const namespace = "bijux-atlas";
/** Kinds the offline stack declares in its namespace, as `kubectl get` names them. */
const namespacedKinds = "configmaps,deployments.apps,horizontalpodautoscalers.autoscaling,networkpolicies.networking.k8s.io,poddisruptionbudgets.policy,services,serviceaccounts";

describe("engine: offline stack on the local control plane (cluster.target local)", function () {
  this.timeout(30 * 60 * 1000);
  let workDir: string;
  let dataDir: string;
  let stack: Stack;
  let output = "";
  const onOutput = (s: string) => (output += s);
  const up = (extra: { signal?: AbortSignal; onEvent?: (e: EngineEvent) => void } = {}) => gatedUp(stack, workDir, { onOutput, ...extra });
  const kubectl = (args: string[], input?: string) =>
    spawnSync(kubectlBin, ["--kubeconfig", path.join(dataDir, "kubeconfig"), ...args], { encoding: "utf8", input, timeout: 60_000 });
  /** Kind/name of every object of the stack's kinds in the namespace, the ones Kubernetes adds left out. */
  const liveObjects = (): string[] =>
    JSON.parse(kubectl(["get", namespacedKinds, "-n", namespace, "-o", "json"]).stdout)
      .items.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`)
      .filter((o: string) => !["ConfigMap/kube-root-ca.crt", "ServiceAccount/default"].includes(o))
      .sort();
  /** Custom resources the stack's state holds (kubernetes objects only, no providers). */
  const objectsInState = async () =>
    ((await stack.exportStack()).deployment.resources ?? []).filter((r: { type: string; custom?: boolean }) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:"));
  const pendingOperations = async () => (await stack.exportStack()).deployment.pending_operations ?? [];

  before(async function () {
    await requireEngine(this, { controlPlane: true });
    workDir = copyProject("atlas-local-e2e-");
    dataDir = path.join(workDir, ".local-cluster", "offline");
    stack = await openStack("offline", { workDir });
    await stack.setConfig("atlas:cluster.target", { value: "local" }, true);
    // /cache on the pods' own emptyDir: the control plane has no seeded cache claim to bind.
    await stack.removeConfig("atlas:cache.existingClaim", true);
  });

  after(async function () {
    this.timeout(5 * 60 * 1000);
    if (!workDir) return;
    // Whatever happened above, leave no control plane running.
    if (Object.keys(running(dataDir)).length) await stack.destroy().catch(() => undefined);
    if (Object.keys(running(dataDir)).length) spawnSync(path.join(workDir, "node_modules", ".bin", "ts-node"), ["--transpile-only", "scripts/local-cluster/cluster.ts", "stop", dataDir], { cwd: workDir });
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  beforeEach(() => (output = ""));

  describe("up", () => {
    it("starts the control plane and deploys the stack with the policy pack enforced", async () => {
      const r = await up();
      assert.equal(r.summary.result, "succeeded", output);
      assert.deepEqual(Object.keys(running(dataDir)).sort(), ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"]);
    });

    it("keeps the kubeconfig (client key) secret in the state", async () => {
      const provider = ((await stack.exportStack()).deployment.resources ?? []).find((r: { type: string; urn: string }) => r.type === "pulumi:providers:kubernetes" && r.urn.endsWith("::cluster-k8s"));
      assert.ok(provider, "no cluster-k8s provider in the state");
      assert.equal(provider.inputs.kubeconfig["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
    });

    it("the API server accepted every object the stack declares", () => {
      assert.deepEqual(
        liveObjects(),
        ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount"].map((k) => `${k}/atlas`),
      );
    });

    it("labels the namespace for Pod Security admission: enforce restricted", () => {
      const labels = JSON.parse(kubectl(["get", "namespace", namespace, "-o", "json"]).stdout).metadata.labels;
      assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
    });

    it("Pod Security admission admitted the atlas pods, and they are Ready on simulated nodes", () => {
      const pods = JSON.parse(kubectl(["get", "pods", "-n", namespace, "-l", "app.kubernetes.io/name=bijux-atlas", "-o", "json"]).stdout).items;
      assert.ok(pods.length >= 1, "no atlas pods");
      for (const p of pods) {
        const ready = p.status.conditions?.find((c: { type: string }) => c.type === "Ready")?.status;
        assert.deepEqual([p.metadata.name, p.spec.nodeName?.startsWith("atlas-node-"), ready], [p.metadata.name, true, "True"]);
      }
    });

    it("reached Ready through the provider's await logic, not by skipping it", () => {
      const dep = JSON.parse(kubectl(["get", "deployment", "atlas", "-n", namespace, "-o", "json"]).stdout);
      assert.equal(dep.metadata.annotations?.["pulumi.com/skipAwait"], undefined);
      assert.equal(dep.status.readyReplicas, dep.spec.replicas);
    });

    it("the API server itself refuses a non-compliant pod in the namespace", () => {
      const bad = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "not-restricted", namespace },
        spec: { containers: [{ name: "c", image: "registry.example.org/x@sha256:" + "0".repeat(64), securityContext: { privileged: true } }] },
      };
      const r = kubectl(["create", "-f", "-"], JSON.stringify(bad));
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /violates PodSecurity "restricted:latest": privileged/);
    });

    it("a second up changes nothing", async () => {
      const r = await up();
      assert.deepEqual(Object.keys(r.summary.resourceChanges ?? {}), ["same"]);
    });
  });

  describe("faults", () => {
    it("the API server killed in the middle of an up: the up fails, the next up restarts the control plane and converges", async () => {
      await stack.setConfig("atlas:server.logLevel", { value: "debug" }, true);
      let killed = false;
      const failed = await up({
        onEvent: (e) => {
          // The moment the ConfigMap update is under way, the API server goes away.
          const m = e.resourcePreEvent?.metadata;
          if (!killed && m?.op === "update" && m.type === "kubernetes:core/v1:ConfigMap") {
            killed = true;
            killProcess(dataDir, "kube-apiserver");
          }
        },
      }).then(
        () => "succeeded",
        (e: Error) => e.message,
      );
      assert.ok(killed, "the up never reached the ConfigMap update");
      process.stderr.write(`      pulumi reported, API server killed mid-up:\n${excerpt(output)}\n`);
      assert.notEqual(failed, "succeeded");
      output = "";
      const r = await up();
      process.stderr.write(`      pulumi reported, next up:\n${excerpt(output)}\n`);
      assert.equal(r.summary.result, "succeeded");
      assert.equal(JSON.parse(kubectl(["get", "configmap", "atlas", "-n", namespace, "-o", "json"]).stdout).data.ATLAS_LOG_LEVEL, "debug");
      assert.equal(liveObjects().length, 7);
      assert.deepEqual(await pendingOperations(), []);
    });

    it("an up interrupted with SIGINT: refresh clears what was in flight and the next up converges", async () => {
      await stack.setConfig("atlas:server.logLevel", { value: "info" }, true);
      const abort = new AbortController();
      const interrupted = await up({
        signal: abort.signal,
        onEvent: (e) => {
          const m = e.resourcePreEvent?.metadata;
          if (m?.op === "update" && m.type === "kubernetes:apps/v1:Deployment") abort.abort();
        },
      }).then(
        () => "succeeded",
        (e: Error) => e.message,
      );
      process.stderr.write(`      pulumi reported, up interrupted:\n${excerpt(output)}\n`);
      assert.ok(abort.signal.aborted, "the up never reached the Deployment update");
      output = "";
      await stack.refresh({ onOutput, clearPendingCreates: true });
      const r = await up();
      process.stderr.write(`      pulumi reported, refresh then up:\n${excerpt(output)}\n`);
      assert.equal(r.summary.result, "succeeded", interrupted);
      assert.equal(JSON.parse(kubectl(["get", "configmap", "atlas", "-n", namespace, "-o", "json"]).stdout).data.ATLAS_LOG_LEVEL, "info");
      assert.deepEqual(await pendingOperations(), []);
    });

    it("leaves exactly one object per declared resource: nothing orphaned, nothing duplicated", async () => {
      const declared = (await objectsInState())
        .filter((r: { outputs?: { metadata?: { namespace?: string } } }) => r.outputs?.metadata?.namespace === namespace)
        .map((r: { outputs: { kind: string; metadata: { name: string } } }) => `${r.outputs.kind}/${r.outputs.metadata.name}`)
        .sort();
      assert.deepEqual(liveObjects(), declared);
    });

    it("leaves one live ReplicaSet: the interrupted rollouts did not fork the Deployment", () => {
      const live = JSON.parse(kubectl(["get", "replicasets", "-n", namespace, "-o", "json"]).stdout).items.filter((x: { spec: { replicas: number } }) => x.spec.replicas > 0);
      assert.equal(live.length, 1);
    });
  });

  describe("destroy", () => {
    it("removes every object and the namespace, then stops the control plane", async () => {
      // The namespace is asked for just before the control plane stops: afterwards there is no API server.
      let namespaceAtShutdown = "not asked";
      const r = await stack.destroy({
        onOutput,
        onEvent: (e) => {
          const m = e.resourcePreEvent?.metadata;
          if (m?.op === "delete" && m.type === "pulumi-nodejs:dynamic/atlas:LocalControlPlane") {
            const got = kubectl(["get", "namespace", namespace]);
            namespaceAtShutdown = got.status === 0 ? "present" : /NotFound/.test(got.stderr) ? "gone" : got.stderr;
          }
        },
      });
      assert.equal(r.summary.result, "succeeded");
      assert.equal(namespaceAtShutdown, "gone");
      assert.deepEqual(await objectsInState(), []);
      assert.deepEqual(running(dataDir), {});
      assert.equal(fs.existsSync(dataDir), false);
    });
  });
});

/** The lines of pulumi's output worth showing: errors, cancellation and the per-resource outcome. */
function excerpt(out: string): string {
  return out
    .split("\n")
    .filter((l) => /error|cancel|interrupt|pending|failed|refused|connect|\^C/i.test(l) && !/from \$PATH|expected to have version/.test(l))
    .slice(0, 12)
    .map((l) => `        ${l.trim().slice(0, 400)}`)
    .join("\n");
}
