/**
 * Init containers under the pod runner, on the chart's rendered default pod with one added: they
 * run to completion, in order, before the main container starts, in the pod's own volumes; a
 * failing one keeps the main container from ever starting, the runner says which one failed and
 * with what exit code, and stopping the pod leaves nothing behind. The chart itself renders no
 * init container (its prewarm is the server's own start-up warm-up), so the pod here adds one
 * that packs the pinned dataset from a store claim into /cache with the image's CLI.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { K8sObject } from "../../contract/k8s";
import { paths } from "../../contract/pod";
import { imageBinaries } from "../../contract/server";
import { datasetIdParts } from "../../contract/grammar";
import { leftovers, PodRun, runServingPod, servingWorkloadContainer, startupBudgetMs, tracesOf } from "./podRuns";
import { objectsOf, renders, servingWorkload } from "./renders";
import { primaryDataset, requireServerTier, ServerTier } from "./support";

const initName = "prewarm";
const sourceClaim = "atlas-prewarm-source";
const sourceMount = paths.store;
const packPath = (id: string) => path.posix.join(paths.cache, `${id.replace(/\//g, "_")}.pack.tar`);

// The profile's store is https://store.atlas.internal/releases/ on 10.20.0.0/16:443; an endpoint
// stands in for it at the same host, port and path over plain HTTP (as in pods.test.ts).
const storeUrl = "http://store.atlas.internal:443/releases/";
const httpStore = { url: storeUrl, address: "10.20.0.5" };

/** The chart's default render, start-up jitter off, with its store at the stand-in endpoint. */
function defaultRender(): K8sObject[] {
  return objectsOf(renders.find((r) => r.name === "default")!, { store: { url: storeUrl }, cache: { warmupJitterSeconds: 0 } });
}

/**
 * Mutation: the serving pod gets an init container (the server container's image, security
 * context and resources) that packs `datasetId` from a read-only store claim into the cache volume.
 */
function withPackingInit(objects: K8sObject[], datasetId: string): K8sObject[] {
  const spec = servingWorkload(objects).spec.template.spec;
  const server = servingWorkloadContainer(objects);
  const cacheMount = (server.volumeMounts as { name: string; mountPath: string }[]).find((m) => m.mountPath === paths.cache)!;
  const { release, species, assembly } = datasetIdParts(datasetId);
  spec.volumes.push({ name: "prewarm-source", persistentVolumeClaim: { claimName: sourceClaim, readOnly: true } });
  spec.initContainers = [
    {
      name: initName,
      image: server.image,
      command: [imageBinaries.cli, "dataset", "pack", "--root", sourceMount, "--release", release, "--species", species, "--assembly", assembly, "--out", packPath(datasetId)],
      securityContext: server.securityContext,
      resources: server.resources,
      volumeMounts: [
        { name: cacheMount.name, mountPath: paths.cache },
        { name: "prewarm-source", mountPath: sourceMount, readOnly: true },
      ],
    },
  ];
  return objects;
}

const terminated = (run: PodRun, container: string) => {
  const s = run.pod.status().containers.find((c) => c.name === container)!;
  return "terminated" in s.state ? s.state.terminated : undefined;
};

describe("init containers (the chart's default pod with an init container added)", function () {
  let tier: ServerTier;
  before(async function () {
    tier = await requireServerTier(this);
  });

  describe("an init container that succeeds", function () {
    let run: PodRun | undefined;
    before(async function () {
      run = await runServingPod(tier, withPackingInit(defaultRender(), primaryDataset), { httpStore, claims: { [sourceClaim]: tier.store.storeRoot } });
      await run.pod.waitReady(Math.min(startupBudgetMs(servingWorkloadContainer(run.objects)), 120_000));
    });
    after(async () => {
      await run?.pod.stop();
    });

    it("ran to completion (exit 0)", () => {
      assert.deepEqual(
        { exitCode: terminated(run!, initName)?.exitCode, reason: terminated(run!, initName)?.reason },
        { exitCode: 0, reason: "Completed" },
        run!.pod.whyNotReady(),
      );
    });

    it("finished before the main container started", () => {
      const server = run!.pod.status().containers.find((c) => c.kind === "main")!;
      assert.ok("running" in server.state, run!.pod.whyNotReady());
      assert.ok(terminated(run!, initName)!.finishedAt <= server.state.running.startedAt, run!.pod.whyNotReady());
    });

    it("left in /cache what the main container finds there: a pack of the pinned dataset that verifies", async () => {
      const server = servingWorkloadContainer(run!.objects).name;
      const r = await run!.pod.exec(server, [imageBinaries.cli, "dataset", "verify-pack", "--pack", packPath(primaryDataset)]);
      assert.equal(r.code, 0, r.output);
    });
  });

  describe("an init container that fails", function () {
    const missing = "999/homo_sapiens/GRCh38";
    let run: PodRun | undefined;
    let exitCode: number;
    let notReady: Error;
    let left: string[];
    before(async function () {
      run = await runServingPod(tier, withPackingInit(defaultRender(), missing), { httpStore, claims: { [sourceClaim]: tier.store.storeRoot } });
      exitCode = (await run.pod.waitTerminated(initName, 30_000)).exitCode;
      notReady = await run.pod.waitReady(3_000).then(
        () => new Error("the pod became ready"),
        (e: Error) => e,
      );
      const traces = tracesOf(run.pod);
      await run.pod.stop();
      left = leftovers(traces);
    });

    it("exits non-zero (the dataset is not in the store)", () => {
      assert.notEqual(exitCode, 0);
    });

    it("keeps the main container from starting", () => {
      const server = run!.pod.status().containers.find((c) => c.kind === "main")!;
      assert.deepEqual({ started: server.started, state: server.state, startedMs: run!.pod.timings().containers[server.name].startedMs }, { started: false, state: { waiting: { reason: "PodInitializing" } }, startedMs: undefined });
    });

    it("is named, with its exit code, in why the pod is not ready", () => {
      assert.match(notReady.message, new RegExp(`init container ${initName} failed with exit code ${exitCode}\\b`));
    });

    it("leaves no process, network namespace, mount, cgroup or directory after stop", () => {
      assert.deepEqual(left, []);
    });
  });
});
