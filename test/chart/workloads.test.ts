import { defaultGoldenQueries } from "../../config/chartValues";
import { strict as assert } from "assert";
import { imageBinaries } from "../../contract/server";
import { K8sObject, profiles, renderProfile } from "../../lib/chartProfiles";
import { containersOf, podSpecOf, renderChart } from "../support/chart";

const byKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);
const one = (objs: K8sObject[], kind: string) => {
  const found = byKind(objs, kind);
  assert.equal(found.length, 1, `expected exactly one ${kind}, got ${found.length}`);
  return found[0];
};

describe("chart: objects per profile", () => {
  const always = ["ConfigMap", "Service", "ServiceAccount", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget"];
  for (const profile of profiles) {
    it(`${profile.name} renders the contract's objects`, () => {
      const kinds = new Set(renderProfile(profile.name).map((o) => o.kind));
      for (const k of always) assert.ok(kinds.has(k), `${k} missing`);
    });
  }

  it("renders the ServiceMonitor unless a profile turns it off (offline: no Prometheus Operator CRDs on the render target)", () => {
    assert.equal(byKind(renderProfile("default"), "ServiceMonitor").length, 1);
    assert.equal(byKind(renderProfile("offline"), "ServiceMonitor").length, 0);
  });

  it("all-features renders a Rollout instead of the Deployment, never both", () => {
    const objs = renderProfile("all-features");
    assert.equal(byKind(objs, "Deployment").length, 0);
    assert.equal(byKind(objs, "Rollout").length, 1);
  });

  it("default renders a Deployment and no Rollout", () => {
    const objs = renderProfile("default");
    assert.equal(byKind(objs, "Deployment").length, 1);
    assert.equal(byKind(objs, "Rollout").length, 0);
  });

  it("all-features renders the warm-up Job and the catalog publish Job", () => {
    const jobs = byKind(renderProfile("all-features"), "Job").map((j) => j.metadata.labels!["app.kubernetes.io/component"]).sort();
    assert.deepEqual(jobs, ["catalog-publish", "warmup"]);
  });

  it("store-credentials renders the created Secret", () => assert.equal(byKind(renderProfile("store-credentials"), "Secret").length, 1));
});

describe("chart: labels", () => {
  const required = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "helm.sh/chart"];
  for (const profile of profiles) {
    it(`${profile.name}: every object and every pod template carries the standard labels`, () => {
      for (const obj of renderProfile(profile.name)) {
        const sets = [obj.metadata.labels ?? {}];
        const pod = podSpecOf(obj);
        if (pod) sets.push(pod.metadata?.labels ?? {});
        for (const labels of sets) {
          for (const l of required) assert.ok(labels[l], `${obj.kind}/${obj.metadata.name} lacks ${l}`);
          assert.equal(labels["app.kubernetes.io/name"], "bijux-atlas");
        }
      }
    });
  }
});

describe("chart: server container", () => {
  for (const profile of profiles) {
    const objs = renderProfile(profile.name);
    const workload = objs.find((o) => o.kind === "Deployment" || o.kind === "Rollout")!;
    const server = workload.spec.template.spec.containers.find((c: any) => c.name === "server");

    it(`${profile.name}: runs the pinned server binary with no arguments (its config is the ConfigMap)`, () => {
      assert.deepEqual(server.command, [imageBinaries.server]);
      assert.equal(server.args, undefined);
    });

    it(`${profile.name}: startup and readiness probe /readyz, liveness probe /healthz`, () => {
      assert.equal(server.startupProbe.httpGet.path, "/readyz");
      assert.equal(server.readinessProbe.httpGet.path, "/readyz");
      assert.equal(server.livenessProbe.httpGet.path, "/healthz");
    });

    it(`${profile.name}: the startup probe's failure budget is at least 5 minutes`, () => {
      const p = server.startupProbe;
      assert.ok(p.periodSeconds * p.failureThreshold >= 300, `${p.periodSeconds * p.failureThreshold}s`);
    });

    it(`${profile.name}: every container's image is pinned by digest`, () => {
      for (const obj of objs) {
        const pod = podSpecOf(obj);
        for (const c of pod ? containersOf(pod.spec) : []) assert.match(c.image, /@sha256:[a-f0-9]{64}$/);
      }
    });
  }

  it("renders repository@digest when no tag is set", () => {
    const objs = renderChart({ values: { image: { tag: "" } } });
    assert.match(one(objs, "Deployment").spec.template.spec.containers[0].image, /^ghcr\.io\/bijux\/bijux-atlas@sha256:0{64}$/);
  });

  it("refuses an image with neither tag nor digest", () => {
    assert.throws(() => renderChart({ values: { image: { tag: "", digest: "" } } }), /neither image\.tag nor image\.digest/);
  });
});

describe("chart: prewarm is the server's own start-up warm-up", () => {
  for (const profile of profiles) {
    it(`${profile.name}: renders no init container (the server has no prewarm command; it warms up before it listens)`, () => {
      for (const obj of renderProfile(profile.name)) assert.equal(podSpecOf(obj)?.spec.initContainers, undefined, `${obj.kind}/${obj.metadata.name}`);
    });
  }
});

describe("chart: Jobs run the pinned CLI", () => {
  const jobs = byKind(renderProfile("all-features"), "Job");
  const job = (component: string) => jobs.find((j) => j.metadata.labels!["app.kubernetes.io/component"] === component)!;

  it("the warm-up Job smoke-tests each pinned dataset in the mounted store", () => {
    const [c] = job("warmup").spec.template.spec.containers;
    assert.deepEqual([...c.command, ...c.args], [imageBinaries.cli, "smoke", "--root", "/store", "--dataset", "112/homo_sapiens/GRCh38", "--golden-queries", "/etc/bijux-atlas/golden-queries.json"]);
  });

  it("the warm-up Job mounts the store writable (smoke opens the SQLite files read-write) and the golden queries from its ConfigMap", () => {
    const spec = job("warmup").spec.template.spec;
    assert.deepEqual(spec.containers[0].volumeMounts.find((m: any) => m.name === "store"), { name: "store", mountPath: "/store", readOnly: false });
    const cm = byKind(renderProfile("all-features"), "ConfigMap").find((c) => c.metadata.name === spec.volumes.find((v: any) => v.name === "config").configMap.name)!;
    assert.deepEqual(JSON.parse(cm.data["golden-queries.json"]), defaultGoldenQueries);
  });

  it("runs one warm-up container per pinned dataset", () => {
    const objs = renderChart({ valuesFiles: ["ci/all-features-values.yaml"], values: { cache: { pinnedDatasets: ["1/a_b/X1", "2/c_d/Y2"] } } });
    const names = byKind(objs, "Job").find((j) => j.metadata.labels!["app.kubernetes.io/component"] === "warmup")!.spec.template.spec.containers.map((c: any) => c.name);
    assert.deepEqual(names, ["warmup-0", "warmup-1"]);
  });

  it("the catalog publish Job promotes its dataset into the store claim, which it mounts writable", () => {
    const [c] = job("catalog-publish").spec.template.spec.containers;
    assert.deepEqual([...c.command, ...c.args], [imageBinaries.cli, "catalog", "promote", "--store-root", "/store", "--release", "112", "--species", "homo_sapiens", "--assembly", "GRCh38"]);
    assert.equal(c.volumeMounts.find((m: any) => m.name === "store").readOnly, false);
  });
});

describe("chart: HorizontalPodAutoscaler", () => {
  it("targets CPU utilisation and the two Pods metrics", () => {
    const hpa = one(renderProfile("default"), "HorizontalPodAutoscaler");
    assert.equal(hpa.apiVersion, "autoscaling/v2");
    const cpu = hpa.spec.metrics.find((m: any) => m.type === "Resource");
    assert.equal(cpu.resource.name, "cpu");
    assert.equal(cpu.resource.target.type, "Utilization");
    const pods = hpa.spec.metrics.filter((m: any) => m.type === "Pods").map((m: any) => m.pods.metric.name).sort();
    assert.deepEqual(pods, ["bijux_http_request_latency_p95_seconds", "bijux_inflight_heavy_queries"]);
  });

  it("scales the Deployment, or the Rollout when canary is on", () => {
    assert.equal(one(renderProfile("default"), "HorizontalPodAutoscaler").spec.scaleTargetRef.kind, "Deployment");
    const ref = one(renderProfile("all-features"), "HorizontalPodAutoscaler").spec.scaleTargetRef;
    assert.deepEqual([ref.apiVersion, ref.kind], ["argoproj.io/v1alpha1", "Rollout"]);
  });

  it("leaves replicas to the HPA when it is enabled", () => {
    assert.equal(one(renderProfile("default"), "Deployment").spec.replicas, undefined);
    assert.equal(one(renderChart({ values: { hpa: { enabled: false } } }), "Deployment").spec.replicas, 2);
  });
});

describe("chart: Argo Rollout", () => {
  it("carries the canary steps from values", () => {
    const rollout = one(renderProfile("all-features"), "Rollout");
    assert.deepEqual(rollout.spec.strategy.canary.steps, [{ setWeight: 20 }, { pause: { duration: "2m" } }, { setWeight: 60 }, { pause: {} }]);
  });
});

describe("chart: PodDisruptionBudget, Service and ServiceMonitor select the server pods", () => {
  const objs = renderProfile("default");
  const podLabels = one(objs, "Deployment").spec.template.metadata.labels;
  const matches = (sel: Record<string, string>) => Object.entries(sel).every(([k, v]) => podLabels[k] === v);

  it("the PDB selects the server pods", () => assert.ok(matches(one(objs, "PodDisruptionBudget").spec.selector.matchLabels)));
  it("the Service selects the server pods on port http", () => {
    const svc = one(objs, "Service");
    assert.ok(matches(svc.spec.selector));
    assert.equal(svc.spec.ports[0].targetPort, "http");
  });
  it("the ServiceMonitor scrapes /metrics on the http port", () => {
    const sm = one(objs, "ServiceMonitor");
    assert.equal(sm.apiVersion, "monitoring.coreos.com/v1");
    assert.equal(sm.spec.endpoints[0].port, "http");
    assert.equal(sm.spec.endpoints[0].path, "/metrics");
  });
});

describe("chart: node-local SSD (the prod profile)", () => {
  const deployment = one(renderProfile("prod"), "Rollout");
  const volumes = deployment.spec.template.spec.volumes;

  it("puts /cache on a per-pod PVC of the local StorageClass", () => {
    const cache = volumes.find((v: any) => v.name === "cache");
    assert.equal(cache.emptyDir, undefined);
    assert.equal(cache.ephemeral.volumeClaimTemplate.spec.storageClassName, "atlas-local-ssd");
    assert.deepEqual(cache.ephemeral.volumeClaimTemplate.spec.accessModes, ["ReadWriteOnce"]);
  });

  it("keeps /tmp on a bounded emptyDir", () => {
    assert.ok(volumes.find((v: any) => v.name === "tmp").emptyDir.sizeLimit);
  });

  it("schedules onto SSD nodes", () => {
    assert.equal(deployment.spec.template.spec.nodeSelector["bijux.io/local-ssd"], "true");
  });
});

describe("chart: /cache on a seeded claim (the offline profile)", () => {
  const volumes = one(renderProfile("offline"), "Deployment").spec.template.spec.volumes;

  it("mounts the claim as /cache instead of an emptyDir", () => {
    assert.deepEqual(volumes.find((v: any) => v.name === "cache"), { name: "cache", persistentVolumeClaim: { claimName: "atlas-cache" } });
  });

  it("keeps /tmp on a bounded emptyDir", () => assert.ok(volumes.find((v: any) => v.name === "tmp").emptyDir.sizeLimit));
});

describe("chart: ServiceAccount", () => {
  it("does not automount a token, on the account or the pods", () => {
    const objs = renderProfile("all-features");
    assert.equal(one(objs, "ServiceAccount").automountServiceAccountToken, false);
    for (const obj of objs) {
      const pod = podSpecOf(obj);
      if (pod) assert.equal(pod.spec.automountServiceAccountToken, false, `${obj.kind}/${obj.metadata.name}`);
    }
  });
});
