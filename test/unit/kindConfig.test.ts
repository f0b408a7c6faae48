import { strict as assert } from "assert";
import { parse } from "yaml";
import { kindClusterConfigYaml, kindCreateScript, kindDeleteScript, kindSsdVolumes, kindWorkerNames } from "../../components/cluster/kind";
import type { KindClusterConfig } from "../../config/schema";
import { defaultKindNodeImage } from "../../config/schema";
import { stackFileStackConfig } from "../../config/stackFile";

const cluster = stackFileStackConfig("dev").cluster as KindClusterConfig;
const ssd = { nodeLabel: "bijux.io/local-ssd", capacity: "20Gi" };

describe("kind config", () => {
  it("names workers the way kind does", () => {
    assert.deepEqual(kindWorkerNames({ ...cluster, workers: 3 }), ["atlas-dev-worker", "atlas-dev-worker2", "atlas-dev-worker3"]);
  });

  it("pins every node to the kindest/node image by digest", () => {
    const config = parse(kindClusterConfigYaml(cluster));
    assert.equal(config.apiVersion, "kind.x-k8s.io/v1alpha4");
    assert.deepEqual(new Set(config.nodes.map((n: { image: string }) => n.image)), new Set([defaultKindNodeImage]));
    assert.match(defaultKindNodeImage, /^kindest\/node:v[0-9.]+@sha256:[a-f0-9]{64}$/);
  });

  it("points containerd at the per-registry hosts directory", () => {
    const config = parse(kindClusterConfigYaml(cluster));
    assert.deepEqual(config.containerdConfigPatches, ['[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"']);
  });

  it("gives workers no mounts or labels without the SSD profile", () => {
    const workers = parse(kindClusterConfigYaml(cluster)).nodes.slice(1);
    assert.deepEqual(workers, [
      { role: "worker", image: defaultKindNodeImage },
      { role: "worker", image: defaultKindNodeImage },
    ]);
  });

  it("lays out ssdVolumesPerNode volume directories under the SSD mount of each worker", () => {
    assert.deepEqual(
      kindSsdVolumes({ ...cluster, workers: 1, ssdVolumesPerNode: 3 }, ssd).map((v) => v.path),
      ["/mnt/atlas-ssd/vol0", "/mnt/atlas-ssd/vol1", "/mnt/atlas-ssd/vol2"],
    );
  });

  describe("create script", () => {
    const script = kindCreateScript(cluster, ssd);
    const lines = script.trimEnd().split("\n");

    it("stops at the first failing command", () => {
      assert.equal(lines[0], "set -eu");
    });

    it("creates the cluster only when it does not exist, so an update re-runs safely", () => {
      assert.match(script, /if ! kind get clusters \| grep -qx 'atlas-dev'; then\n  kind create cluster --name 'atlas-dev' --config=- --wait 180s >&2\nfi/);
    });

    it("maps localhost:<port> to the registry container on every node", () => {
      assert.ok(script.includes(`printf '[host."http://atlas-dev-registry:5000"]\\n' | docker exec -i "$node" cp /dev/stdin '/etc/containerd/certs.d/localhost:5001/hosts.toml'`));
    });

    it("creates the SSD volume directories inside each worker", () => {
      assert.ok(script.includes("docker exec 'atlas-dev-worker' mkdir -p '/mnt/atlas-ssd/vol0' '/mnt/atlas-ssd/vol1'"));
      assert.ok(script.includes("docker exec 'atlas-dev-worker2' mkdir -p '/mnt/atlas-ssd/vol0' '/mnt/atlas-ssd/vol1'"));
    });

    it("prints only the kubeconfig on stdout, last", () => {
      assert.equal(lines[lines.length - 1], "kind get kubeconfig --name 'atlas-dev'");
      assert.ok(lines.filter((l) => l.includes("kind create cluster")).every((l) => l.endsWith(">&2")));
    });
  });

  it("deletes the cluster by name", () => {
    assert.equal(kindDeleteScript(cluster), "kind delete cluster --name 'atlas-dev'\n");
  });
});
