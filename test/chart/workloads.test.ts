import { strict as assert } from "assert";
import { containersOf, K8sObject, podSpecOf, profiles, renderChart, renderProfile } from "../support/chart";

const byKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);
const one = (objs: K8sObject[], kind: string) => {
  const found = byKind(objs, kind);
  assert.equal(found.length, 1, `expected exactly one ${kind}, got ${found.length}`);
  return found[0];
};

describe("chart: objects per profile", () => {
  const always = ["ConfigMap", "Service", "ServiceAccount", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceMonitor"];
  for (const profile of profiles) {
    it(`${profile.name} renders the contract's objects`, () => {
      const kinds = new Set(renderProfile(profile.name).map((o) => o.kind));
      for (const k of always) assert.ok(kinds.has(k), `${k} missing`);
    });
  }

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

  it("all-features renders the created Secret, the warm-up Job and the catalog publish Job", () => {
    const objs = renderProfile("all-features");
    assert.equal(byKind(objs, "Secret").length, 1);
    const jobs = byKind(objs, "Job").map((j) => j.metadata.labels!["app.kubernetes.io/component"]).sort();
    assert.deepEqual(jobs, ["catalog-publish", "dataset-warmup"]);
  });
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

    it(`${profile.name}: runs /app/bijux-atlas atlas serve`, () => {
      assert.deepEqual([...server.command, ...server.args], ["/app/bijux-atlas", "atlas", "serve"]);
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

describe("chart: init prewarm", () => {
  it("adds a prewarm init container mounting /cache when cache.initPrewarm.enabled", () => {
    const objs = renderProfile("offline");
    const init = one(objs, "Deployment").spec.template.spec.initContainers;
    assert.equal(init.length, 1);
    assert.equal(init[0].name, "prewarm");
    assert.ok(init[0].volumeMounts.some((m: any) => m.mountPath === "/cache"));
  });

  it("adds no init container by default", () => {
    assert.equal(one(renderProfile("default"), "Deployment").spec.template.spec.initContainers, undefined);
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

describe("chart: node-local SSD profile", () => {
  const deployment = one(renderProfile("node-local-ssd"), "Deployment");
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
