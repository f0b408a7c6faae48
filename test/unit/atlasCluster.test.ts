import { strict as assert } from "assert";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { AtlasCluster } from "../../components/cluster";
import { repoRoot } from "../../lib/paths";
import { named, ofType, runProgram } from "../support/stack";
import { stackFileStackConfig } from "../../config/stackFile";

/** Declares only an AtlasCluster for the offline stack's config with `set` applied. */
function clusterRun(set: Record<string, unknown>, stack = "cluster-test") {
  const config = stackFileStackConfig("offline", set);
  return runProgram(
    () => {
      new AtlasCluster("cluster", { cluster: config.cluster, nodeLocalSsdProfile: config.nodeLocalSsdProfile, startLocalControlPlane: fakeStart });
    },
    { stack },
  );
}

/** Stands for the control-plane processes, which these tests of the component's wiring do not start. */
const started: { dataDir: string; nodes: number }[] = [];
async function fakeStart(dataDir: string, nodes: number): Promise<string> {
  started.push({ dataDir, nodes });
  return `apiVersion: v1\nkind: Config\n# ${dataDir}\n`;
}

const kind = { "atlas:cluster": { target: "kind", name: "atlas-t", workers: 2 } };
const ssdVolumes = [
  { node: "n1", path: "/mnt/disks/ssd0", capacity: "375Gi" },
  { node: "n1", path: "/mnt/disks/ssd1", capacity: "375Gi" },
  { node: "n2", path: "/mnt/disks/ssd0", capacity: "375Gi" },
  { node: "n2", path: "/mnt/disks/ssd1", capacity: "375Gi" },
];

describe("AtlasCluster", () => {
  it("registers as bijux:atlas:AtlasCluster with every child parented to it", async () => {
    const run = await clusterRun(kind);
    const component = named(run, "cluster");
    assert.equal(component.type, "bijux:atlas:AtlasCluster");
    for (const r of run.resources.filter((r) => r !== component && r.type !== "pulumi:pulumi:Stack")) {
      assert.equal(r.parent, component.urn, r.name);
      assert.ok(r.name.startsWith("cluster-"), r.name);
    }
  });

  describe("render target", () => {
    it("declares only a kubernetes provider writing to rendered/<stack> in the project", async () => {
      const run = await clusterRun({}, "offline");
      assert.deepEqual(
        run.resources.filter((r) => r.parent === named(run, "cluster").urn).map((r) => r.type),
        ["pulumi:providers:kubernetes"],
      );
      assert.equal(named(run, "cluster-k8s").inputs.renderYamlToDirectory, path.join(repoRoot, "rendered", "offline"));
    });

    it("writes inside the repository's git-ignored rendered/ directory", async () => {
      const run = await clusterRun({}, "offline");
      assert.equal(path.relative(repoRoot, named(run, "cluster-k8s").inputs.renderYamlToDirectory), path.join("rendered", "offline"));
    });
  });

  describe("kubeconfig target", () => {
    it("reaches the cluster by the given kubeconfig (relative to the project) and context", async () => {
      const run = await clusterRun({ "atlas:cluster": { target: "kubeconfig", kubeconfig: "secrets/prod.kubeconfig", context: "atlas-prod" } });
      const provider = named(run, "cluster-k8s").inputs;
      assert.equal(provider.kubeconfig, path.join(repoRoot, "secrets", "prod.kubeconfig"));
      assert.equal(provider.context, "atlas-prod");
      assert.equal(provider.renderYamlToDirectory, undefined);
    });

    it("expands a kubeconfig path under the home directory", async () => {
      const run = await clusterRun({ "atlas:cluster": { target: "kubeconfig", kubeconfig: "~/.kube/prod" } });
      assert.equal(named(run, "cluster-k8s").inputs.kubeconfig, path.join(os.homedir(), ".kube", "prod"));
    });

    it("falls back to the ambient kubeconfig and current context", async () => {
      const run = await clusterRun({ "atlas:cluster": { target: "kubeconfig" } });
      const provider = named(run, "cluster-k8s").inputs;
      assert.equal(provider.kubeconfig, undefined);
      assert.equal(provider.context, undefined);
    });
  });

  describe("kind target", () => {
    it("creates the cluster from the generated kind config and deletes it with the stack", async () => {
      const run = await clusterRun(kind);
      const cmd = named(run, "cluster-kind").inputs;
      assert.match(cmd.create, /kind create cluster --name 'atlas-t' --config=-/);
      assert.equal(cmd.update, cmd.create);
      assert.equal(cmd.delete, "kind delete cluster --name 'atlas-t'\n");
      const kindConfig = parse(cmd.stdin);
      assert.equal(kindConfig.name, "atlas-t");
      assert.deepEqual(
        kindConfig.nodes.map((n: { role: string }) => n.role),
        ["control-plane", "worker", "worker"],
      );
    });

    it("keeps the kubeconfig the create command prints secret", async () => {
      const run = await clusterRun(kind);
      assert.deepEqual(named(run, "cluster-kind").additionalSecretOutputs, ["stdout"]);
    });

    it("builds its provider from the cluster's kubeconfig", async () => {
      const run = await clusterRun(kind);
      const provider = named(run, "cluster-k8s");
      assert.ok(provider.dependencies.includes(named(run, "cluster-kind").urn));
      assert.match(provider.inputs.kubeconfig, /kind: Config/);
    });

    it("runs a pinned registry on the kind network, published on localhost only, after the cluster exists", async () => {
      const run = await clusterRun(kind);
      const registry = named(run, "cluster-registry");
      assert.equal(registry.inputs.name, "atlas-t-registry");
      assert.deepEqual(registry.inputs.ports, [{ internal: 5000, external: 5001, ip: "127.0.0.1" }]);
      assert.deepEqual(registry.inputs.networksAdvanced, [{ name: "kind" }]);
      assert.ok(registry.dependencies.includes(named(run, "cluster-kind").urn));
      assert.match(named(run, "cluster-registry-image").inputs.name, /^docker\.io\/library\/registry:2\.8\.3@sha256:[a-f0-9]{64}$/);
    });

    it("documents the registry in kube-public for in-cluster tooling", async () => {
      const run = await clusterRun(kind);
      const hosting = named(run, "cluster-registry-hosting");
      assert.deepEqual(hosting.inputs.metadata, { name: "local-registry-hosting", namespace: "kube-public" });
      assert.match(hosting.inputs.data["localRegistryHosting.v1"], /host: "localhost:5001"/);
      assert.equal(hosting.provider?.split("::")[3], "cluster-k8s");
    });
  });

  describe("every target", () => {
    for (const [target, set] of Object.entries({
      render: {},
      kubeconfig: { "atlas:cluster": { target: "kubeconfig" } },
      kind,
      local: { "atlas:cluster": { target: "local" } },
    })) {
      it(`${target}: the provider updates ConfigMaps and Secrets in place, as Helm does`, async () => {
        const p = named(await clusterRun(set), "cluster-k8s").inputs;
        assert.deepEqual([p.enableConfigMapMutable, p.enableSecretMutable], ["true", "true"]);
      });
    }
  });

  describe("local target", () => {
    const local = { "atlas:cluster": { target: "local", nodes: 3 } };

    it("declares the Docker-free control plane with its data in .local-cluster/<stack>", async () => {
      const run = await clusterRun(local);
      const plane = named(run, "cluster-local");
      assert.deepEqual(
        { type: plane.type, dataDir: plane.inputs.dataDir, nodes: plane.inputs.nodes, projectDir: plane.inputs.projectDir },
        { type: "pulumi-nodejs:dynamic/atlas:LocalControlPlane", dataDir: path.join(repoRoot, ".local-cluster", "cluster-test"), nodes: 3, projectDir: repoRoot },
      );
    });

    it("starts the control plane when the program runs, so preview has a reachable cluster", async () => {
      started.length = 0;
      await clusterRun(local);
      assert.deepEqual(started, [{ dataDir: path.join(repoRoot, ".local-cluster", "cluster-test"), nodes: 3 }]);
    });

    it("hands the provider the control plane's kubeconfig as a secret", async () => {
      const run = await clusterRun(local);
      const provider = named(run, "cluster-k8s");
      assert.deepEqual(
        { kubeconfig: provider.inputs.kubeconfig, secret: provider.secretInputs.includes("kubeconfig") },
        { kubeconfig: `apiVersion: v1\nkind: Config\n# ${path.join(repoRoot, ".local-cluster", "cluster-test")}\n`, secret: true },
      );
    });

    it("creates the provider after the control-plane resource, so destroy deletes the objects before stopping it", async () => {
      const run = await clusterRun(local);
      assert.ok(named(run, "cluster-k8s").dependencies.includes(named(run, "cluster-local").urn));
    });

    it("declares no Docker resources", async () => {
      const run = await clusterRun(local);
      assert.deepEqual(run.resources.filter((r) => r.type.startsWith("docker:")), []);
    });
  });

  describe("node-local SSD profile", () => {
    it("on kind, mounts a host directory into every worker and labels it", async () => {
      const run = await clusterRun({ ...kind, "atlas:cache.existingClaim": "", "atlas:nodeLocalSsdProfile.enabled": true, "atlas:hpa.maxReplicas": 3 });
      const workers = parse(named(run, "cluster-kind").inputs.stdin).nodes.filter((n: { role: string }) => n.role === "worker");
      assert.deepEqual(
        workers.map((w: any) => [w.labels, w.extraMounts]),
        ["atlas-t-worker", "atlas-t-worker2"].map((node) => [
          { "bijux.io/local-ssd": "true" },
          [{ hostPath: `/var/lib/bijux-atlas/ssd/${node}`, containerPath: "/mnt/atlas-ssd" }],
        ]),
      );
    });

    it("declares a local StorageClass that binds on first consumer", async () => {
      const run = await clusterRun({ ...kind, "atlas:cache.existingClaim": "", "atlas:nodeLocalSsdProfile.enabled": true, "atlas:hpa.maxReplicas": 3 });
      const sc = ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass");
      assert.equal(sc.length, 1);
      assert.equal(sc[0].inputs.metadata.name, "atlas-local-ssd");
      assert.equal(sc[0].inputs.provisioner, "kubernetes.io/no-provisioner");
      assert.equal(sc[0].inputs.volumeBindingMode, "WaitForFirstConsumer");
    });

    it("on kind, declares ssdVolumesPerNode local PersistentVolumes per worker, pinned to it", async () => {
      const run = await clusterRun({ ...kind, "atlas:cache.existingClaim": "", "atlas:nodeLocalSsdProfile.enabled": true, "atlas:hpa.maxReplicas": 3 });
      const pvs = ofType(run, "kubernetes:core/v1:PersistentVolume").map((r) => r.inputs.spec);
      assert.deepEqual(
        pvs.map((s) => [s.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0], s.local.path, s.storageClassName]),
        [
          ["atlas-t-worker", "/mnt/atlas-ssd/vol0", "atlas-local-ssd"],
          ["atlas-t-worker", "/mnt/atlas-ssd/vol1", "atlas-local-ssd"],
          ["atlas-t-worker2", "/mnt/atlas-ssd/vol0", "atlas-local-ssd"],
          ["atlas-t-worker2", "/mnt/atlas-ssd/vol1", "atlas-local-ssd"],
        ],
      );
    });

    it("creates the PersistentVolumes after their StorageClass", async () => {
      const run = await clusterRun({ ...kind, "atlas:cache.existingClaim": "", "atlas:nodeLocalSsdProfile.enabled": true, "atlas:hpa.maxReplicas": 3 });
      const sc = ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass")[0];
      for (const pv of ofType(run, "kubernetes:core/v1:PersistentVolume")) assert.ok(pv.dependencies.includes(sc.urn), pv.name);
    });

    it("on a kubeconfig target, declares the listed volumes", async () => {
      const run = await clusterRun({
        "atlas:cluster": { target: "kubeconfig" },
        "atlas:cache.existingClaim": "", "atlas:nodeLocalSsdProfile": { enabled: true, size: "200Gi", volumes: ssdVolumes },
        "atlas:hpa.maxReplicas": 3,
      });
      const pvs = ofType(run, "kubernetes:core/v1:PersistentVolume").map((r) => r.inputs);
      assert.deepEqual(
        pvs.map((pv) => [pv.metadata.name, pv.spec.capacity.storage, pv.spec.local.path]),
        [
          ["atlas-local-ssd-n1-mnt-disks-ssd0", "375Gi", "/mnt/disks/ssd0"],
          ["atlas-local-ssd-n1-mnt-disks-ssd1", "375Gi", "/mnt/disks/ssd1"],
          ["atlas-local-ssd-n2-mnt-disks-ssd0", "375Gi", "/mnt/disks/ssd0"],
          ["atlas-local-ssd-n2-mnt-disks-ssd1", "375Gi", "/mnt/disks/ssd1"],
        ],
      );
    });

    it("names each volume's resource after its node and path, so reordering the list replaces nothing", async () => {
      const set = { "atlas:cluster": { target: "kubeconfig" }, "atlas:hpa.maxReplicas": 3 };
      const names = async (volumes: typeof ssdVolumes) =>
        ofType(await clusterRun({ ...set, "atlas:cache.existingClaim": "", "atlas:nodeLocalSsdProfile": { enabled: true, size: "200Gi", volumes } }), "kubernetes:core/v1:PersistentVolume")
          .map((r) => r.name)
          .sort();
      assert.deepEqual(await names(ssdVolumes), await names([...ssdVolumes].reverse()));
      assert.ok((await names(ssdVolumes)).includes("cluster-pv-n1-mnt-disks-ssd0"));
    });

    it("declares no storage when the platform provides the local volumes", async () => {
      const run = await clusterRun({ "atlas:cluster": { target: "kubeconfig" }, "atlas:cache.existingClaim": "", "atlas:nodeLocalSsdProfile": { enabled: true, provision: "platform" } });
      assert.equal(ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass").length, 0);
      assert.equal(ofType(run, "kubernetes:core/v1:PersistentVolume").length, 0);
    });

    it("declares no storage when the profile is off", async () => {
      const run = await clusterRun(kind);
      assert.equal(ofType(run, "kubernetes:core/v1:PersistentVolume").length, 0);
      assert.equal(parse(named(run, "cluster-kind").inputs.stdin).nodes[1].extraMounts, undefined);
    });
  });
});
