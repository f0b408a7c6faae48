import { strict as assert } from "assert";
import * as path from "path";
import { dockerfilePath, repoRoot } from "../../lib/paths";
import { kubernetesObjects, named, ofType, runStack, StackRun } from "../support/stack";

const digestRef = /^[^@\s]+@sha256:[a-f0-9]{64}$/;
const typesOf = (run: StackRun) => new Set(run.resources.map((r) => r.type));
const workload = (run: StackRun) => kubernetesObjects(run).find((o) => o.kind === "Deployment" || o.kind === "Rollout")!;

/** Components each stack declares: [type, name], all top-level under the stack. */
const expectedComponents: Record<string, [string, string][]> = {
  dev: [
    ["bijux:atlas:AtlasCluster", "cluster"],
    ["bijux:atlas:AtlasImage", "image"],
    ["bijux:atlas:Monitoring", "monitoring"],
    ["bijux:atlas:MetricsAdapter", "metrics-adapter"],
    ["bijux:atlas:ArgoRollouts", "argo-rollouts"],
    ["bijux:atlas:AtlasRelease", "atlas"],
  ],
  offline: [
    ["bijux:atlas:AtlasCluster", "cluster"],
    ["bijux:atlas:AtlasImage", "image"],
    ["bijux:atlas:Monitoring", "monitoring"],
    ["bijux:atlas:MetricsAdapter", "metrics-adapter"],
    ["bijux:atlas:ArgoRollouts", "argo-rollouts"],
    ["bijux:atlas:AtlasRelease", "atlas"],
  ],
  prod: [
    ["bijux:atlas:AtlasCluster", "cluster"],
    ["bijux:atlas:AtlasImage", "image"],
    ["bijux:atlas:Monitoring", "monitoring"],
    ["bijux:atlas:MetricsAdapter", "metrics-adapter"],
    ["bijux:atlas:ArgoRollouts", "argo-rollouts"],
    ["bijux:atlas:AtlasRelease", "atlas"],
  ],
};

for (const stack of Object.keys(expectedComponents)) {
  describe(`stack ${stack}`, () => {
    let run: StackRun;
    before(async () => {
      run = await runStack(stack);
    });

    it("declares its components at the top level of the stack", () => {
      const root = named(run, `bijux-atlas-${stack}`).urn;
      const components = run.resources.filter((r) => r.type.startsWith("bijux:atlas:"));
      assert.deepEqual(
        components.map((r) => [r.type, r.name]).sort(),
        [...expectedComponents[stack]].sort(),
      );
      for (const c of components) assert.equal(c.parent, root, c.name);
    });

    it("parents every other resource to a component or a chart, named after it", () => {
      const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
      for (const r of run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("bijux:atlas:"))) {
        const parent = byUrn.get(r.parent ?? "");
        assert.ok(parent, `${r.name} has a declared parent`);
        assert.ok(r.name.startsWith(`${parent.name}-`) || r.name.startsWith(`${parent.name}:`), `${r.name} is named after ${parent.name}`);
      }
    });

    it("manages every Kubernetes object through the cluster's provider", () => {
      const provider = `${named(run, "cluster-k8s").urn}::cluster-k8s-id`;
      for (const r of run.resources.filter((r) => r.type.startsWith("kubernetes:") && !r.renderedBy)) {
        assert.equal(r.custom ? r.provider : r.providers.kubernetes, provider, r.name);
      }
    });

    it("hands the chart values that pass the chart's schema, and deploys the image by digest", () => {
      const values = named(run, "atlas-chart").inputs.values;
      assert.match(`${values.image.repository}@${values.image.digest}`, digestRef);
      const container = workload(run).spec.template.spec.containers[0];
      assert.equal(container.image, [values.image.repository, values.image.tag].filter(Boolean).join(":") + `@${values.image.digest}`);
      assert.equal(`${values.image.repository}@${values.image.digest}`, run.outputs.imageRef.replace(/:[^:/@]+@/, "@"));
    });

    it("installs the atlas chart after its namespace and after every add-on it uses", () => {
      const deps = named(run, "atlas-chart").dependencies;
      assert.ok(deps.includes(named(run, "atlas-namespace").urn));
      for (const chart of ofType(run, "kubernetes:helm.sh/v4:Chart").filter((c) => c.name !== "atlas-chart")) {
        assert.ok(deps.includes(chart.urn), `after ${chart.name}`);
      }
    });

    it("installs every add-on chart after its namespace, unless the platform's preinstalled Prometheus owns it", () => {
      for (const chart of ofType(run, "kubernetes:helm.sh/v4:Chart").filter((c) => c.name !== "atlas-chart")) {
        const ns = run.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && r.inputs.metadata.name === chart.inputs.namespace);
        if (ns) assert.ok(chart.dependencies.includes(ns.urn), chart.name);
        else assert.deepEqual([chart.inputs.namespace, run.outputs.addonModes.monitoring.mode], ["monitoring", "preinstalled"], chart.name);
      }
    });

    it("exports what an operator needs", () => {
      assert.equal(run.outputs.namespace, "bijux-atlas");
      assert.equal(run.outputs.serviceName, "atlas");
      assert.equal(run.outputs.inClusterUrl, "http://atlas.bijux-atlas.svc:8080");
      assert.match(run.outputs.imageRef, digestRef);
      assert.deepEqual(Object.keys(run.outputs.addonModes).sort(), ["argoRollouts", "metricsAdapter", "monitoring"]);
    });
  });
}

describe("stack dev", () => {
  let run: StackRun;
  before(async () => {
    run = await runStack("dev");
  });

  it("creates a Kind cluster and builds the image from the source checkout into its registry", () => {
    assert.equal(run.outputs.clusterTarget, "kind");
    assert.match(named(run, "cluster-kind").inputs.create, /kind create cluster --name 'atlas-dev'/);
    assert.equal(named(run, "image-build").inputs.build.context, path.dirname(dockerfilePath));
    assert.match(run.outputs.imageRef, /^localhost:5001\/bijux-atlas@sha256:/);
  });

  it("installs Prometheus, the metrics adapter and Argo Rollouts", () => {
    assert.deepEqual(
      Object.fromEntries(Object.entries(run.outputs.addonModes).map(([k, v]: [string, any]) => [k, v.mode])),
      { argoRollouts: "install", metricsAdapter: "install", monitoring: "install" },
    );
  });

  it("deploys through an Argo Rollouts canary that the HPA scales", () => {
    const objects = kubernetesObjects(run);
    assert.equal(workload(run).kind, "Rollout");
    assert.equal(objects.filter((o) => o.kind === "Deployment").length, 0);
    assert.equal(objects.find((o) => o.kind === "HorizontalPodAutoscaler")!.spec.scaleTargetRef.kind, "Rollout");
  });
});

describe("stack offline", () => {
  let run: StackRun;
  before(async () => {
    run = await runStack("offline");
  });

  it("renders to rendered/offline in the project by default", () => {
    assert.equal(run.outputs.clusterTarget, "render");
    assert.equal(run.outputs.renderedDirectory, path.join(repoRoot, "rendered", "offline"));
    assert.equal(named(run, "cluster-k8s").inputs.renderYamlToDirectory, run.outputs.renderedDirectory);
  });

  it("builds no image and uses no provider but kubernetes", () => {
    const foreign = [...typesOf(run)].filter((t) => !t.startsWith("kubernetes:") && !t.startsWith("bijux:atlas:") && !t.startsWith("pulumi:pulumi:"));
    assert.deepEqual(foreign, ["pulumi:providers:kubernetes"]);
  });

  it("fetches no chart from the network: the only chart is the project's own", () => {
    assert.deepEqual(
      ofType(run, "kubernetes:helm.sh/v4:Chart").map((c) => c.inputs.chart),
      [path.join(repoRoot, "charts", "bijux-atlas")],
    );
  });

  it("records the add-ons as preinstalled, with their mirror sources", () => {
    for (const addon of Object.values(run.outputs.addonModes) as { mode: string; chart: string }[]) {
      assert.equal(addon.mode, "preinstalled");
      assert.match(addon.chart, /^oci:\/\/registry\.airgap\.internal\//);
    }
  });

  it("installs an add-on from its mirror when switched to install", async () => {
    const switched = await runStack("offline", { set: { "atlas:argoRollouts.mode": "install" } });
    assert.equal(named(switched, "argo-rollouts-chart").inputs.chart, "oci://registry.airgap.internal/charts/argo-rollouts");
  });

  it("serves cached-only from the cache claim, warms the pinned datasets at start-up and reaches no store", () => {
    const objects = kubernetesObjects(run);
    const configMap = objects.find((o) => o.kind === "ConfigMap")!;
    assert.equal(configMap.data.ATLAS_CACHED_ONLY_MODE, "true");
    assert.equal(configMap.data.ATLAS_READINESS_REQUIRES_CATALOG, "false");
    assert.equal(configMap.data.ATLAS_STORE_S3_ENABLED, undefined);
    assert.equal(configMap.data.ATLAS_PINNED_DATASETS, "112/homo_sapiens/GRCh38,112/mus_musculus/GRCm39");
    assert.equal(configMap.data.ATLAS_STARTUP_WARMUP, "112/homo_sapiens/GRCh38,112/mus_musculus/GRCm39");
    const volumes = workload(run).spec.template.spec.volumes;
    assert.deepEqual(volumes.find((v: any) => v.name === "cache").persistentVolumeClaim, { claimName: "atlas-cache" });
    const egress = objects.find((o) => o.kind === "NetworkPolicy")!.spec.egress;
    assert.deepEqual(egress.map((rule: any) => rule.to), [[{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }]]);
  });

  it("deploys to a real cluster when one key switches the target", async () => {
    const switched = await runStack("offline", { set: { "atlas:cluster.target": "kubeconfig" } });
    assert.equal(switched.outputs.clusterTarget, "kubeconfig");
    assert.equal(named(switched, "cluster-k8s").inputs.renderYamlToDirectory, undefined);
    assert.equal(switched.outputs.renderedDirectory, null);
  });
});

describe("stack prod", () => {
  let run: StackRun;
  before(async () => {
    run = await runStack("prod");
  });

  it("reaches the cluster by kubeconfig context", () => {
    assert.equal(named(run, "cluster-k8s").inputs.context, "atlas-prod");
  });

  it("puts /cache on node-local SSD: a local StorageClass, 16 local volumes, and pods claiming from it", () => {
    assert.equal(ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass").length, 1);
    assert.equal(ofType(run, "kubernetes:core/v1:PersistentVolume").length, 16);
    const pod = workload(run).spec.template.spec;
    const cache = pod.volumes.find((v: any) => v.name === "cache");
    assert.equal(cache.ephemeral.volumeClaimTemplate.spec.storageClassName, "atlas-local-ssd");
    assert.equal(pod.nodeSelector["bijux.io/local-ssd"], "true");
  });

  it("installs the atlas chart after the SSD volumes exist", () => {
    const deps = named(run, "atlas-chart").dependencies;
    for (const pv of ofType(run, "kubernetes:core/v1:PersistentVolume")) assert.ok(deps.includes(pv.urn), pv.name);
  });

  it("scales with the HPA and rolls out through a canary", () => {
    const objects = kubernetesObjects(run);
    const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler")!;
    assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.scaleTargetRef.kind], [3, 12, "Rollout"]);
  });

  it("takes store credentials from the existing Secret", () => {
    const env = workload(run).spec.template.spec.containers[0].env;
    const keys = env.filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => [e.name, e.valueFrom.secretKeyRef.name]);
    assert.deepEqual(keys, [["ATLAS_STORE_S3_BEARER", "atlas-store-credentials"]]);
    assert.equal(kubernetesObjects(run).filter((o) => o.kind === "Secret").length, 0);
  });

  it("records the platform's Prometheus and installs the adapter querying it", () => {
    assert.deepEqual(run.outputs.addonModes.monitoring.mode, "preinstalled");
    assert.equal(named(run, "metrics-adapter-chart").inputs.values.prometheus.url, "http://prometheus-operated.monitoring.svc");
  });
});
