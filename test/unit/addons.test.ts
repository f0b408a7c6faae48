import { strict as assert } from "assert";
import { declareAddons } from "../../components/addons";
import { AtlasCluster } from "../../components/cluster";
import { atlasAdapterRules } from "../../components/addons/metricsAdapterRules";
import { hpaPodMetrics } from "../../contract/metrics";
import { repoRoot } from "../../lib/paths";
import { addonCharts } from "../../config/schema";
import { renderChart } from "../support/chart";
import { named, ofType, runProgram, StackRun } from "../support/stack";
import { stackFileStackConfig } from "../../config/stackFile";

/** Declares the add-ons of the dev stack's config with `set` applied, on a render-target provider. */
function addonsRun(set: Record<string, unknown>): Promise<StackRun> {
  const config = stackFileStackConfig("dev", { "atlas:cluster": { target: "render" }, "atlas:image.repository": "registry.example.org/bijux/bijux-atlas", ...set });
  return runProgram(() => {
    const cluster = new AtlasCluster("cluster", { cluster: config.cluster });
    declareAddons(config, cluster.provider);
  });
}

const children = (run: StackRun, component: string) => run.resources.filter((r) => r.parent === named(run, component).urn);

describe("platform add-ons", () => {
  describe("ArgoRollouts", () => {
    it("installs the argo-rollouts chart, pinned, with its CRDs, into its own namespace", async () => {
      const run = await addonsRun({});
      assert.equal(named(run, "argo-rollouts").type, "bijux:atlas:ArgoRollouts");
      const chart = named(run, "argo-rollouts-chart");
      assert.equal(chart.parent, named(run, "argo-rollouts").urn);
      assert.equal(chart.inputs.chart, "argo-rollouts");
      assert.equal(chart.inputs.version, addonCharts.argoRollouts.version);
      assert.deepEqual(chart.inputs.repositoryOpts, { repo: "https://argoproj.github.io/argo-helm" });
      assert.equal(chart.inputs.namespace, "argo-rollouts");
      assert.equal(chart.inputs.values.installCRDs, true);
    });

    it("creates the namespace before the chart", async () => {
      const run = await addonsRun({});
      assert.ok(named(run, "argo-rollouts-chart").dependencies.includes(named(run, "argo-rollouts-namespace").urn));
    });

    it("installs from an OCI mirror when the source says so", async () => {
      const run = await addonsRun({ "atlas:argoRollouts.chart": { oci: "oci://mirror.internal/charts/argo-rollouts" } });
      const chart = named(run, "argo-rollouts-chart").inputs;
      assert.equal(chart.chart, "oci://mirror.internal/charts/argo-rollouts");
      assert.equal(chart.version, addonCharts.argoRollouts.version);
      assert.equal(chart.repositoryOpts, undefined);
    });

    it("installs from a local chart path, resolved against the project", async () => {
      const run = await addonsRun({ "atlas:argoRollouts.chart": { path: "vendor/charts/argo-rollouts" } });
      assert.equal(named(run, "argo-rollouts-chart").inputs.chart, `${repoRoot}/vendor/charts/argo-rollouts`);
    });

    it("merges the stack's extra values over its own", async () => {
      const run = await addonsRun({ "atlas:argoRollouts.values": { controller: { replicas: 2 }, dashboard: { enabled: true } } });
      assert.deepEqual(named(run, "argo-rollouts-chart").inputs.values, { installCRDs: true, dashboard: { enabled: true }, controller: { replicas: 2 } });
    });

    it("only records a preinstalled controller and its chart source", async () => {
      const run = await addonsRun({ "atlas:argoRollouts.mode": "preinstalled", "atlas:argoRollouts.chart": { oci: "oci://mirror.internal/charts/argo-rollouts" } });
      assert.deepEqual(children(run, "argo-rollouts"), []);
      assert.deepEqual(named(run, "argo-rollouts").outputs, {
        mode: "preinstalled",
        namespace: "argo-rollouts",
        chartSource: `oci://mirror.internal/charts/argo-rollouts ${addonCharts.argoRollouts.version}`,
      });
    });

    it("is absent when disabled", async () => {
      const run = await addonsRun({ "atlas:argoRollouts.mode": "disabled", "atlas:rollout.enabled": false });
      assert.equal(ofType(run, "bijux:atlas:ArgoRollouts").length, 0);
    });
  });

  describe("Monitoring", () => {
    it("installs kube-prometheus-stack, pinned, selecting ServiceMonitors of every namespace", async () => {
      const run = await addonsRun({});
      const chart = named(run, "monitoring-chart").inputs;
      assert.equal(chart.chart, "kube-prometheus-stack");
      assert.equal(chart.version, addonCharts.monitoring.version);
      assert.equal(chart.namespace, "monitoring");
      assert.equal(chart.values.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues, false);
    });

    it("turns off what a helm v4 Chart cannot run: admission webhook certificates from hook Jobs", async () => {
      const run = await addonsRun({});
      assert.deepEqual(named(run, "monitoring-chart").inputs.values.prometheusOperator, { admissionWebhooks: { enabled: false }, tls: { enabled: false } });
    });

    it("reports the URL of the Prometheus it installs", async () => {
      const run = await addonsRun({});
      assert.equal(named(run, "monitoring").outputs?.prometheusUrl, "http://kps-prometheus.monitoring.svc:9090");
    });

    it("passes a preinstalled Prometheus's URL on and declares nothing", async () => {
      const run = await addonsRun({ "atlas:monitoring": { mode: "preinstalled", prometheusUrl: "https://prometheus.platform.internal:9443/prom" } });
      assert.deepEqual(children(run, "monitoring"), []);
      assert.deepEqual(named(run, "metrics-adapter-chart").inputs.values.prometheus, { url: "https://prometheus.platform.internal", port: 9443, path: "/prom" });
    });
  });

  describe("MetricsAdapter", () => {
    it("installs prometheus-adapter, pinned, in Prometheus's namespace, querying it", async () => {
      const run = await addonsRun({});
      const chart = named(run, "metrics-adapter-chart").inputs;
      assert.equal(chart.chart, "prometheus-adapter");
      assert.equal(chart.version, addonCharts.metricsAdapter.version);
      assert.equal(chart.namespace, "monitoring");
      assert.deepEqual(chart.values.prometheus, { url: "http://kps-prometheus.monitoring.svc", port: 9090, path: "" });
    });

    it("serves only the atlas rules, not the default rule set", async () => {
      const run = await addonsRun({});
      assert.deepEqual(named(run, "metrics-adapter-chart").inputs.values.rules, { default: false, custom: atlasAdapterRules() });
    });

    it("installs after Monitoring, which creates its namespace and Prometheus", async () => {
      const run = await addonsRun({});
      const deps = named(run, "metrics-adapter-chart").dependencies;
      assert.ok(deps.includes(named(run, "monitoring-namespace").urn));
      assert.ok(deps.includes(named(run, "monitoring-chart").urn));
    });

    it("exposes, as Pods metrics, exactly the metrics the chart's HPA asks for", () => {
      const hpa = renderChart().find((o) => o.kind === "HorizontalPodAutoscaler");
      assert.ok(hpa, "the chart renders an HPA by default");
      const asked = hpa.spec.metrics.filter((m: any) => m.type === "Pods").map((m: any) => m.pods.metric.name);
      assert.deepEqual([...asked].sort(), [...hpaPodMetrics].sort());
      assert.deepEqual(atlasAdapterRules().map((r: any) => r.name.as), [...hpaPodMetrics]);
    });

    it("scopes each series to its namespace and pod", () => {
      for (const rule of atlasAdapterRules() as any[]) {
        assert.match(rule.seriesQuery, /\{namespace!="",pod!=""\}$/);
        assert.deepEqual(rule.resources.overrides, { namespace: { resource: "namespace" }, pod: { resource: "pod" } });
      }
    });
  });
});
