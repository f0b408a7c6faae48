/**
 * The rendered serving pods, run with the real server under their own constraints (pod runner,
 * lib/server/pod): each profile and stack reaches ready within its startup probe budget, answers
 * queries from the synthetic store, drains on SIGTERM, and leaves nothing behind.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { runJob } from "../../lib/server/pod";
import { seedCacheFromStore } from "../../lib/server/dataset";
import { env } from "../../contract/env";
import { objectsOf, renders } from "./renders";
import { datasetQuery, leftovers, PodRun, readyTimes, runServingPod, servingWorkloadContainer, startupBudgetMs, tracesOf, waitServingReady } from "./podRuns";
import { datasetIds, primaryDataset, requireServerTier, scratchDir, ServerTier } from "./support";
import { K8sObject } from "../../contract/k8s";
import { componentLabel } from "../../contract/labels";
import { hpaPodMetrics, latencyP95, nonQueryRoutes } from "../../contract/metrics";
import { metricsPath } from "../../contract/pod";
import { atlasAdapterRules } from "../../components/addons/metricsAdapterRules";

/** Metric names of a Prometheus text exposition, with the label sets of each. */
function exposition(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s/.exec(line);
    if (!m) continue;
    out.set(m[1], [...(out.get(m[1]) ?? []), m[2] ?? ""]);
  }
  return out;
}

const render = (name: string) => renders.find((r) => r.name === name)!;
/** The HPA of a render that enables it (the default profile's values enable it). */
const renderHpa = () => [...objectsOf(render("default")), ...objectsOf(render("prod"))].find((o) => o.kind === "HorizontalPodAutoscaler")!;
const q = datasetQuery(primaryDataset);

/** Stops a run (SIGTERM, drain, teardown) once; later calls return the first report. */
function stopper(get: () => PodRun | undefined) {
  let report: ReturnType<PodRun["pod"]["stop"]> | undefined;
  return () => {
    const run = get();
    if (!run) return undefined;
    report ??= run.pod.stop();
    return report;
  };
}

after(function () {
  if (readyTimes.length === 0) return;
  process.stderr.write(`\ntime to ready per render (pod runner, synthetic store):\n`);
  for (const t of readyTimes) process.stderr.write(`  ${t.render.padEnd(14)} ${String(t.readyMs).padStart(6)} ms  (start-up jitter ${t.jitterMs} ms, startup probe budget ${t.budgetMs} ms)\n`);
});

describe("default profile pod (HTTP store inside its egress)", function () {
  let tier: ServerTier;
  let run: PodRun | undefined;
  const stop = stopper(() => run);

  before(async function () {
    tier = await requireServerTier(this);
    // The profile's store is https://store.atlas.internal/releases/, reached on 10.20.0.0/16:443.
    // The endpoint stands in for it at the same host, port and path over plain HTTP, and the
    // name resolves to an address inside the egress CIDR.
    const url = "http://store.atlas.internal:443/releases/";
    run = await runServingPod(tier, objectsOf(render("default"), { store: { url } }), { httpStore: { url, address: "10.20.0.5" } });
  });
  after(async () => {
    await stop();
  });

  it("becomes ready within its startup probe budget", async function () {
    const ms = await waitServingReady(run!, "default");
    assert.ok(ms <= startupBudgetMs(servingWorkloadContainer(run!.objects)));
  });

  it("runs the server as 65532:65532 with no capabilities and no_new_privs", () => {
    const st = run!.pod.processStatus("server");
    assert.deepEqual(
      { uid: st.Uid.split(/\s+/)[0], gid: st.Gid.split(/\s+/)[0], capEff: st.CapEff, capBnd: st.CapBnd, noNewPrivs: st.NoNewPrivs, seccomp: st.Seccomp },
      { uid: "65532", gid: "65532", capEff: "0000000000000000", capBnd: "0000000000000000", noNewPrivs: "1", seccomp: "2" },
    );
  });

  it("answers a gene query", async () => {
    const r = await run!.pod.request(`/v1/genes?${q}&gene_id=${encodeURIComponent(tier.store.golden.genes[0].id)}&include=coords,biotype`);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.body.includes(tier.store.golden.genes[0].name), r.body);
  });

  it("answers a transcript query", async () => {
    const tx = tier.store.golden.transcriptIds[0];
    const r = await run!.pod.request(`/v1/transcripts/${encodeURIComponent(tx)}?${q}`);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.body.includes(tx), r.body);
  });

  it("answers a gene count", async () => {
    const r = await run!.pod.request(`/v1/genes/count?${q}`);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json().gene_count, tier.store.golden.geneCount);
  });

  it("answers a sequence query with the FASTA's bases", async () => {
    const { region, sequence } = tier.store.golden.region;
    const r = await run!.pod.request(`/v1/sequence/region?${q}&region=${region}`);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.body.includes(sequence), r.body);
  });

  it("fetched the catalog and the dataset from the store endpoint", () => {
    const paths = run!.endpoint!.requests.map((x) => x.path);
    assert.ok(paths.includes("/releases/catalog.json") && paths.some((p) => p.startsWith(`/releases/${primaryDataset}/derived/`)), paths.join(", "));
  });

  describe("metrics truth (after the queries above were served)", function () {
    let metrics: Map<string, string[]>;
    let objects: K8sObject[];
    before(async function () {
      objects = run!.objects;
      const r = await run!.pod.request(metricsPath);
      assert.equal(r.status, 200, r.body);
      metrics = exposition(r.body);
    });

    it("the ServiceMonitor's endpoint serves metrics on the pod's named port and path", () => {
      const sm = objects.find((o) => o.kind === "ServiceMonitor")!;
      const port = (servingWorkloadContainer(objects).ports as { name: string }[]).map((p) => p.name);
      assert.deepEqual([port.includes(sm.spec.endpoints[0].port), sm.spec.endpoints[0].path, metrics.size > 0], [true, metricsPath, true]);
    });

    it("exports every metric contract/metrics.ts names for the HPA", () => {
      assert.deepEqual(hpaPodMetrics.filter((m) => !metrics.has(m)), []);
    });

    it("exports every metric the rendered HPA scales on", () => {
      const hpa = renderHpa();
      const names = (hpa.spec.metrics as any[]).filter((m) => m.type === "Pods").map((m) => m.pods.metric.name as string);
      assert.ok(names.length > 0, "the HPA scales on no Pods metric");
      assert.deepEqual(names.filter((m) => !metrics.has(m)), []);
    });

    it("exports every series the adapter rules select", () => {
      const names = atlasAdapterRules().map((r) => /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{/.exec(r.seriesQuery as string)![1]);
      assert.deepEqual(names.filter((m) => !metrics.has(m)), []);
    });

    it("labels the p95 latency by route, with query routes left once probe and scrape routes are filtered out", () => {
      const routes = (metrics.get(latencyP95.name) ?? []).map((l) => new RegExp(`${latencyP95.routeLabel}="([^"]*)"`).exec(l)?.[1]);
      assert.ok(routes.every((r) => r !== undefined), `a series without ${latencyP95.routeLabel}`);
      assert.ok(routes.some((r) => !(nonQueryRoutes as readonly string[]).includes(r!)), `only non-query routes: ${routes.join(", ")}`);
    });
  });

  describe("termination", function () {
    it("on SIGTERM refuses new queries while draining, then exits 0 within the grace period", async () => {
      const drainMs = Number(run!.objects.find((o) => o.kind === "ConfigMap" && o.data?.[env.shutdownDrainMs])!.data[env.shutdownDrainMs]);
      const traces = tracesOf(run!.pod);
      const stopping = stop()!;
      await new Promise((r) => setTimeout(r, 1000));
      const during = await run!.pod.request(`/v1/genes/count?${q}`);
      const report = await stopping;
      const server = report.containers.find((c) => c.name === "server")!;
      assert.deepEqual(
        { during: during.status, exitCode: server.exitCode, killed: server.killed, drained: server.drainMs >= drainMs, inGrace: server.drainMs < run!.pod.plan.gracePeriodMs, left: leftovers(traces) },
        { during: 503, exitCode: 0, killed: false, drained: true, inGrace: true, left: [] },
      );
    });
  });
});

describe("offline profile pod (cached-only, seeded cache claim, empty store, no network)", function () {
  let tier: ServerTier;
  let run: PodRun | undefined;
  const stop = stopper(() => run);

  before(async function () {
    tier = await requireServerTier(this);
    const cache = scratchDir(tier, "offline-cache");
    for (const id of datasetIds) seedCacheFromStore(tier.store.storeRoot, cache, id);
    run = await runServingPod(tier, objectsOf(render("offline")), { claims: { "atlas-cache": cache } });
  });
  after(async () => {
    await stop();
  });

  it("becomes ready within its startup probe budget", async function () {
    const ms = await waitServingReady(run!, "offline");
    assert.ok(ms <= startupBudgetMs(servingWorkloadContainer(run!.objects)));
  });

  it("has loopback only: nothing outside the pod is reachable", async () => {
    await assert.rejects(run!.pod.connect("10.96.0.10", 53, 1000), /ENETUNREACH|EHOSTUNREACH|timeout/);
  });

  it("has no store mounted", async () => {
    const r = await run!.pod.exec("server", ["/app/bijux-atlas-server", "--version"]);
    assert.equal(r.code, 0, r.output);
    assert.ok(!(run!.pod.plan.main[0].spec.volumeMounts as { mountPath: string }[]).some((m) => m.mountPath === "/store"));
  });

  for (const id of datasetIds) {
    it(`serves the pinned dataset ${id} from its cache`, async () => {
      const r = await run!.pod.request(`/v1/genes/count?${datasetQuery(id)}`);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.json().gene_count, tier.store.golden.geneCount);
    });
  }

  it("serves sequence from its cache", async () => {
    const { region, sequence } = tier.store.golden.region;
    const r = await run!.pod.request(`/v1/sequence/region?${q}&region=${region}`);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.body.includes(sequence), r.body);
  });

  it("exits 0 on SIGTERM without needing SIGKILL", async () => {
    const report = await stop()!;
    const server = report.containers.find((c) => c.name === "server")!;
    assert.deepEqual([server.exitCode, server.killed], [0, false]);
  });
});

describe("all-features profile (store claim, catalog-publish Job, warm-up Job, Rollout pod)", function () {
  let tier: ServerTier;
  let objects: K8sObject[];
  let store: string;
  let run: PodRun | undefined;
  const stop = stopper(() => run);
  const job = (component: string) => objects.find((o) => o.kind === "Job" && o.spec.template.metadata.labels?.[componentLabel] === component)!;

  before(async function () {
    tier = await requireServerTier(this);
    objects = objectsOf(render("all-features"));
    // The store as a release pipeline leaves it before the catalog Job: datasets, no catalog.
    store = scratchDir(tier, "store-claim");
    fs.cpSync(tier.store.storeRoot, store, { recursive: true });
    fs.rmSync(path.join(store, "catalog.json"));
  });
  after(async () => {
    await stop();
  });

  it("the catalog-publish Job completes and writes the store's catalog", async () => {
    const report = await runJob(objects, { kind: "Job", name: job("catalog-publish").metadata!.name! }, { binaries: tier.binaries, claims: { "atlas-store": store } });
    assert.ok(report.succeeded, JSON.stringify(report.attempts, null, 1));
    assert.ok(JSON.parse(fs.readFileSync(path.join(store, "catalog.json"), "utf8")).datasets.length >= 1);
  });

  it("the warm-up Job's smoke queries pass against the store", async () => {
    const report = await runJob(objects, { kind: "Job", name: job("warmup").metadata!.name! }, { binaries: tier.binaries, claims: { "atlas-store": store } });
    assert.ok(report.succeeded, JSON.stringify(report.attempts, null, 1));
  });

  it("the Rollout's pod becomes ready within its startup probe budget", async function () {
    run = await runServingPod(tier, objects, { claims: { "atlas-store": store } });
    const ms = await waitServingReady(run, "all-features");
    assert.ok(ms <= startupBudgetMs(servingWorkloadContainer(objects)));
  });

  it("answers a gene count from the store claim", async () => {
    const r = await run!.pod.request(`/v1/genes/count?${q}`);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json().gene_count, tier.store.golden.geneCount);
  });

  it("exits 0 on SIGTERM without needing SIGKILL", async () => {
    const report = await stop()!;
    const server = report.containers.find((c) => c.name === "server")!;
    assert.deepEqual([server.exitCode, server.killed], [0, false]);
  });
});

describe("stack renders' pods", function () {
  const stacks: { name: string; url?: string; address: string; expectBearer: boolean }[] = [
    // dev's store is a plain-HTTP address inside its egress already.
    { name: "dev", address: "172.18.0.1", expectBearer: false },
    // prod's store is https://s3.eu-west-1.amazonaws.com/bijux-atlas-releases/ on 10.40.0.0/16:443.
    { name: "prod", url: "http://s3.eu-west-1.amazonaws.com:443/bijux-atlas-releases/", address: "10.40.0.5", expectBearer: true },
  ];
  for (const s of stacks) {
    describe(`${s.name} stack pod`, function () {
      let tier: ServerTier;
      let run: PodRun | undefined;
      const stop = stopper(() => run);
      before(async function () {
        tier = await requireServerTier(this);
        const objects = objectsOf(render(s.name), s.url ? { store: { url: s.url } } : undefined);
        const url = s.url ?? (objects.find((o) => o.kind === "ConfigMap" && o.data?.[env.storeS3BaseUrl])!.data[env.storeS3BaseUrl] as string);
        run = await runServingPod(tier, objects, { httpStore: { url, address: s.address } });
      });
      after(async () => {
        await stop();
      });

      it("becomes ready within its startup probe budget", async () => {
        const ms = await waitServingReady(run!, s.name);
        assert.ok(ms <= startupBudgetMs(servingWorkloadContainer(run!.objects)));
      });

      it("answers a gene count from its store", async () => {
        const r = await run!.pod.request(`/v1/genes/count?${q}`);
        assert.equal(r.status, 200, r.body);
        assert.equal(r.json().gene_count, tier.store.golden.geneCount);
      });

      it(s.expectBearer ? "sends the store's bearer token from its Secret" : "sends no bearer token (none configured)", () => {
        const auth = new Set(run!.endpoint!.requests.map((x) => x.authorization));
        assert.deepEqual([...auth], [s.expectBearer ? "present" : "absent"]);
      });

      it("exits 0 on SIGTERM without needing SIGKILL", async () => {
        const report = await stop()!;
        const server = report.containers.find((c) => c.name === "server")!;
        assert.deepEqual([server.exitCode, server.killed], [0, false]);
      });
    });
  }
});

describe("pods that cannot serve", function () {
  let tier: ServerTier;
  before(async function () {
    tier = await requireServerTier(this);
  });

  it("a pod whose store has no catalog stays not-ready, and the runner says why", async () => {
    const store = scratchDir(tier, "no-catalog");
    fs.cpSync(tier.store.storeRoot, store, { recursive: true });
    fs.rmSync(path.join(store, "catalog.json"));
    // No start-up jitter, so the catalog refresh happens at once.
    const run = await runServingPod(tier, objectsOf(render("all-features"), { cache: { warmupJitterSeconds: 0 } }), { claims: { "atlas-store": store } });
    try {
      await run.pod.waitFor(() => (run.pod.logs("server").some((l) => l.includes("catalog refresh failed")) ? true : undefined), 30_000, "catalog refresh failure logged");
      await run.pod.waitFor(() => (run.pod.whyNotReady().includes("statuscode: 503") ? true : undefined), 30_000, "a probe answered 503");
      const why = run.pod.whyNotReady();
      assert.deepEqual({ ready: run.pod.status().ready, status503: why.includes("statuscode: 503"), catalog: /catalog refresh failed/.test(why) }, { ready: false, status503: true, catalog: true }, why);
    } finally {
      await run.pod.stop();
    }
  });

  it("after a failed run (the server refuses its env and crash-loops), nothing is left running", async () => {
    const objects = objectsOf(render("all-features"));
    const cm = objects.find((o) => o.kind === "ConfigMap" && o.data?.[env.bind])!;
    cm.data.ATLAS_NOT_A_SETTING = "1";
    const store = scratchDir(tier, "failed-run");
    const run = await runServingPod(tier, objects, { claims: { "atlas-store": store } });
    const traces = tracesOf(run.pod);
    let why = "";
    try {
      await run.pod.waitTerminated("server", 30_000);
      why = run.pod.whyNotReady();
    } finally {
      await run.pod.stop();
    }
    assert.deepEqual({ reason: why.includes("unknown env vars rejected by contract"), left: leftovers(traces) }, { reason: true, left: [] }, why);
  });
});
