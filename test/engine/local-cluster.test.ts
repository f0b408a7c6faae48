import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalCluster, running, start, stop } from "../../lib/cluster/controlPlane";
import { apiGet } from "../../lib/cluster/kubeconfig";
import { alive } from "../../lib/cluster/processes";
import { controlPlaneBinaries } from "../../lib/toolchain/kube";
import { repoRoot } from "../../lib/paths";
import { requireEngine } from "../support/engineTier";
import { renderProfile } from "../../lib/chartProfiles";

const kubectlBin = path.join(repoRoot, ".tools", "bin", "kubectl");

describe("local control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)", function () {
  this.timeout(60 * 60 * 1000);
  let cluster: LocalCluster;
  let dataDir: string;
  const kubectl = (args: string[], input?: string) =>
    spawnSync(kubectlBin, ["--kubeconfig", cluster.kubeconfigPath, ...args], { encoding: "utf8", input });

  before(async function () {
    await requireEngine(this, { controlPlane: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-local-"));
    cluster = await start({ dataDir, nodes: 2 });
  });

  after(async () => {
    if (dataDir) await stop(dataDir);
  });

  it("serves /readyz on loopback with the admin client certificate", async () => {
    assert.match(cluster.apiServerUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await apiGet(dataDir, cluster.apiServerUrl, "/readyz")).status, 200);
  });

  it("reports the pinned Kubernetes version", async () => {
    assert.equal(JSON.parse((await apiGet(dataDir, cluster.apiServerUrl, "/version")).body).gitVersion, "v1.34.2");
  });

  it("has Ready simulated nodes", () => {
    const out = kubectl(["get", "nodes", "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}"]);
    assert.equal(out.stdout.trim(), "True True");
  });

  it("enforces Pod Security admission: a pod without the restricted settings is refused in a restricted namespace", () => {
    assert.equal(kubectl(["create", "namespace", "psa"]).status, 0);
    assert.equal(kubectl(["label", "namespace", "psa", "pod-security.kubernetes.io/enforce=restricted"]).status, 0);
    const bad = { apiVersion: "v1", kind: "Pod", metadata: { name: "bad", namespace: "psa" }, spec: { containers: [{ name: "c", image: "busybox:1.36", securityContext: { allowPrivilegeEscalation: true } }] } };
    const r = kubectl(["apply", "-f", "-"], JSON.stringify(bad));
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /violates PodSecurity "restricted:latest"/);
  });

  it("admits the atlas Deployment there and it becomes Ready on simulated nodes", () => {
    const objs = renderProfile("default", { namespace: "psa" }).filter((o) => ["Deployment", "ConfigMap", "ServiceAccount", "Service"].includes(o.kind));
    const r = kubectl(["apply", "-f", "-"], objs.map((o) => JSON.stringify(o)).join("\n"));
    assert.equal(r.status, 0, r.stderr);
    const wait = kubectl(["-n", "psa", "rollout", "status", "deployment/atlas-bijux-atlas", "--timeout=120s"]);
    assert.equal(wait.status, 0, wait.stderr + wait.stdout);
  });

  it("stop leaves no process behind", async () => {
    const pids = Object.values(running(dataDir));
    assert.equal(pids.length, controlPlaneBinaries.length);
    await stop(dataDir);
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still running`);
    assert.equal(fs.existsSync(dataDir), false);
    dataDir = "";
  });
});

