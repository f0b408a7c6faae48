import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { AtlasCluster } from "../../components/cluster";
import { AtlasRelease } from "../../components/release";
import { atlasNamespaceLabels } from "../../contract/labels";
import { atlasChartDir } from "../../lib/paths";
import { named, runProgram, StackRun } from "../support/stack";
import { stackFileStackConfig } from "../../config/stackFile";
import { StandIn, testImageRef } from "./fixtures";

/** Declares an AtlasRelease of the offline stack's config (with `set`), requiring a stand-in add-on. */
function releaseRun(set: Record<string, unknown> = {}, extra: { secretValues?: boolean } = {}): Promise<StackRun> {
  const config = stackFileStackConfig("offline", set);
  return runProgram(() => {
    const cluster = new AtlasCluster("cluster", { cluster: config.cluster });
    const addon = new pulumi.ComponentResource("test:index:Addon", "addon", {}, {});
    new StandIn("addon-crds", { parent: addon });
    new AtlasRelease("atlas", { config, imageRef: testImageRef, provider: cluster.provider, requires: [addon], ...extra });
  });
}

describe("AtlasRelease", () => {
  it("registers as bijux:atlas:AtlasRelease owning its namespace and chart", async () => {
    const run = await releaseRun();
    const release = named(run, "atlas");
    assert.equal(release.type, "bijux:atlas:AtlasRelease");
    assert.deepEqual(
      run.resources.filter((r) => r.parent === release.urn).map((r) => [r.type, r.name]),
      [
        ["kubernetes:core/v1:Namespace", "atlas-namespace"],
        ["kubernetes:helm.sh/v4:Chart", "atlas-chart"],
      ],
    );
  });

  it("creates the namespace with Pod Security admission restricted for enforce, audit and warn", async () => {
    const run = await releaseRun();
    const ns = named(run, "atlas-namespace").inputs.metadata;
    assert.equal(ns.name, "bijux-atlas");
    for (const [label, value] of Object.entries(atlasNamespaceLabels)) assert.equal(ns.labels[label], value, label);
    assert.deepEqual(
      Object.keys(atlasNamespaceLabels).filter((l) => !l.endsWith("-version")).map((l) => atlasNamespaceLabels[l]),
      ["restricted", "restricted", "restricted"],
    );
  });

  it("deploys the project's chart directory as a helm v4 Chart, under the configured release name", async () => {
    const run = await releaseRun({ "atlas:release": { name: "atlas-eu", namespace: "atlas-eu" } });
    const chart = named(run, "atlas-chart").inputs;
    assert.equal(chart.chart, atlasChartDir);
    assert.equal(chart.name, "atlas-eu");
    assert.equal(chart.namespace, "atlas-eu");
  });

  it("installs the chart after its namespace and after the components it requires", async () => {
    const run = await releaseRun();
    const deps = named(run, "atlas-chart").dependencies;
    assert.ok(deps.includes(named(run, "atlas-namespace").urn), "namespace");
    assert.ok(deps.includes(named(run, "addon-crds").urn), "the required component's resources");
  });

  it("deploys through the cluster's provider", async () => {
    const run = await releaseRun();
    const provider = `${named(run, "cluster-k8s").urn}::cluster-k8s-id`;
    assert.equal(named(run, "atlas-namespace").provider, provider);
    assert.equal(named(run, "atlas-chart").providers.kubernetes, provider);
  });

  it("hands the chart the image by digest", async () => {
    const run = await releaseRun();
    assert.deepEqual(named(run, "atlas-chart").inputs.values.image, {
      repository: "registry.example.org/bijux/bijux-atlas",
      tag: "0.1.0",
      digest: `sha256:${"ab".repeat(32)}`,
      pullPolicy: "IfNotPresent",
    });
  });

  it("reports the Service name and in-cluster URL the chart renders", async () => {
    const run = await releaseRun();
    const service = run.resources.find((r) => r.type === "kubernetes:core/v1:Service" && r.renderedBy)!;
    assert.deepEqual(named(run, "atlas").outputs, {
      namespace: "bijux-atlas",
      serviceName: service.inputs.metadata.name,
      url: `http://${service.inputs.metadata.name}.bijux-atlas.svc:${service.inputs.spec.ports[0].port}`,
    });
  });

  it("keeps every value secret when asked to", async () => {
    const run = await releaseRun({}, { secretValues: true });
    assert.deepEqual(named(run, "atlas-chart").secretInputs, ["values"]);
  });
});
