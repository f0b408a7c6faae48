import { strict as assert } from "assert";
import type { PackConfig } from "../../policy/src/config";
import { check } from "../../policy/src/evaluate";
import { rules } from "../../policy/src/rules";
import type { K8sObject } from "../support/chart";
import { profiles } from "../support/chart";
import { atlasPod, baseline, byKind, mandatory, podSpec, policiesHit, server, workload } from "./fixtures";

describe("policy pack on the chart's renders", () => {
  for (const profile of profiles) {
    it(`passes every rule on the ${profile.name} profile`, () => {
      const config: PackConfig = profile.name === "all-features" ? { "atlas-rollout-crds": { preinstalled: true } } : {};
      assert.deepEqual(check(baseline(profile.name), { config }).map((f) => `${f.policy}: ${f.message}`), []);
    });
  }
});

describe("policy rules: every rule module", () => {
  for (const rule of rules) {
    it(`${rule.name} names its clause, describes itself and defaults to an enforcement level`, () => {
      assert.ok(rule.clause.length > 10 && rule.description.length > 10);
      assert.ok(["mandatory", "advisory"].includes(rule.enforcement));
    });
  }
});

/** The server pod template wrapped into each pod-bearing kind. */
function asKind(kind: string): K8sObject {
  const t = workload(baseline()).spec.template;
  const meta = { name: `atlas-${kind.toLowerCase()}`, namespace: "atlas", labels: t.metadata.labels };
  switch (kind) {
    case "Pod":
      return { apiVersion: "v1", kind, metadata: meta, spec: t.spec };
    case "CronJob":
      return { apiVersion: "batch/v1", kind, metadata: meta, spec: { schedule: "@daily", jobTemplate: { spec: { template: t } } } };
    case "Job":
      return { apiVersion: "batch/v1", kind, metadata: meta, spec: { template: t } };
    case "Rollout":
      return { apiVersion: "argoproj.io/v1alpha1", kind, metadata: meta, spec: { selector: {}, template: t } };
    default:
      return { apiVersion: "apps/v1", kind, metadata: meta, spec: { selector: {}, template: t } };
  }
}

const podOf = (o: K8sObject) => (o.kind === "Pod" ? o.spec : o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);

describe("policy rules look into every kind that carries a pod template", () => {
  for (const kind of ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "Rollout"]) {
    it(`finds a privileged init container in a ${kind}`, () => {
      const o = asKind(kind);
      podOf(o).initContainers = [{ ...podOf(o).containers[0], name: "init", securityContext: { ...podOf(o).containers[0].securityContext, privileged: true } }];
      assert.ok(check([o]).some((f) => f.policy === "pss-privileged" && f.message.startsWith("initContainers[init]")));
    });
  }

  it("finds an ephemeral container without allowPrivilegeEscalation: false", () => {
    const pod = atlasPod();
    pod.spec.ephemeralContainers = [{ name: "debug", image: pod.spec.containers[0].image, securityContext: { ...pod.spec.containers[0].securityContext, allowPrivilegeEscalation: true } }];
    assert.ok(check([pod]).some((f) => f.policy === "pss-privilege-escalation" && f.message.startsWith("ephemeralContainers[debug]")));
  });

  it("expands nothing for a Rollout that references a Deployment's template (workloadRef)", () => {
    const o: K8sObject = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "r", labels: { "app.kubernetes.io/name": "bijux-atlas" } }, spec: { workloadRef: { kind: "Deployment", name: "d" } } };
    assert.deepEqual(mandatory(check([o])), []);
  });

  it("does not check platform add-on pods (not labelled bijux-atlas)", () => {
    const exporter: K8sObject = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "node-exporter", namespace: "monitoring" },
      spec: { template: { metadata: { labels: { "app.kubernetes.io/name": "prometheus-node-exporter" } }, spec: { hostNetwork: true, hostPID: true, containers: [{ name: "e", image: "quay.io/prometheus/node-exporter:v1.9.1" }] } } },
    };
    assert.deepEqual(check([exporter]), []);
  });

  it("does not ask Jobs for probes", () => {
    assert.ok(!policiesHit([asKind("Job")]).includes("atlas-probes"));
    assert.ok(!policiesHit([asKind("CronJob")]).includes("atlas-probes"));
  });
});

describe("policy rules accept what the restricted profile allows", () => {
  const passes = (mutate: (o: K8sObject[]) => void) => {
    const objs = baseline();
    mutate(objs);
    return mandatory(check(objs));
  };
  it("NET_BIND_SERVICE added", () => assert.deepEqual(passes((o) => (server(o).securityContext.capabilities.add = ["NET_BIND_SERVICE"])), []));
  it("a Localhost seccomp profile", () => assert.deepEqual(passes((o) => (server(o).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "atlas.json" })), []));
  it("runAsNonRoot set only on the container", () => assert.deepEqual(passes((o) => delete podSpec(o).securityContext.runAsNonRoot), []));
  it("seccomp set only on the pod", () => assert.deepEqual(passes((o) => delete server(o).securityContext.seccompProfile), []));
  it("a safe sysctl", () => assert.deepEqual(passes((o) => (podSpec(o).securityContext.sysctls = [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }])), []));
  it("a container_t SELinux type", () => assert.deepEqual(passes((o) => (server(o).securityContext.seLinuxOptions = { type: "container_t", level: "s0:c1,c2" })), []));
  it("a RuntimeDefault AppArmor profile", () => assert.deepEqual(passes((o) => (server(o).securityContext.appArmorProfile = { type: "RuntimeDefault" })), []));
  it("read-only configMap and secret mounts anywhere", () =>
    assert.deepEqual(
      passes((o) => {
        podSpec(o).volumes.push({ name: "conf", configMap: { name: "x" } }, { name: "tls", secret: { secretName: "y" } });
        server(o).volumeMounts.push({ name: "conf", mountPath: "/etc/atlas" }, { name: "tls", mountPath: "/etc/tls" });
      }),
      [],
    ));
  it("a readOnly mount of an emptyDir anywhere", () => assert.deepEqual(passes((o) => server(o).volumeMounts.push({ name: "tmp", mountPath: "/srv/view", readOnly: true })), []));
  it("/cache on a PersistentVolumeClaim", () => assert.deepEqual(passes((o) => (podSpec(o).volumes[0] = { name: "cache", persistentVolumeClaim: { claimName: "ssd" } })), []));
  it("egress to an explicitly named namespace with ports", () =>
    assert.deepEqual(passes((o) => byKind(o, "NetworkPolicy").spec.egress.push({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "catalog" } } }], ports: [{ port: 443 }] })), []));
  it("egress to a /32 with ports", () => assert.deepEqual(passes((o) => byKind(o, "NetworkPolicy").spec.egress.push({ to: [{ ipBlock: { cidr: "10.1.2.3/32" } }], ports: [{ port: 443 }] })), []));
});

describe("policy rules: egress across several NetworkPolicies", () => {
  it("accepts atlas pods selected by an egress policy via matchExpressions", () => {
    const objs = baseline();
    byKind(objs, "NetworkPolicy").spec.podSelector = { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["bijux-atlas"] }] };
    assert.ok(!policiesHit(objs).includes("atlas-egress"));
  });

  it("ignores a NetworkPolicy in another namespace", () => {
    const objs = baseline();
    byKind(objs, "NetworkPolicy").metadata.namespace = "elsewhere";
    assert.ok(policiesHit(objs).includes("atlas-egress"));
  });

  it("rejects broad egress in any policy that selects atlas pods, not only the chart's", () => {
    const objs = baseline();
    objs.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-all", namespace: "atlas" },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{}] },
    });
    const f = check(objs).filter((x) => x.policy === "atlas-egress");
    assert.ok(f.some((x) => x.object.metadata?.name === "allow-all" && /no 'to'/.test(x.message)));
  });
});

describe("policy config", () => {
  it("lowers a policy to advisory (the dev stack's digest rule)", () => {
    const objs = baseline();
    server(objs).image = "localhost:5001/bijux-atlas:dev";
    const f = check(objs, { config: { "atlas-image-digest": "advisory" } }).filter((x) => x.policy === "atlas-image-digest");
    assert.deepEqual(f.map((x) => x.enforcement), ["advisory"]);
  });

  it("disables a policy", () => {
    const objs = baseline();
    objs.splice(objs.indexOf(byKind(objs, "PodDisruptionBudget")), 1);
    assert.ok(!policiesHit(objs, { "atlas-pdb": { enforcementLevel: "disabled" } }).includes("atlas-pdb"));
  });

  it("reports an exempted finding as exempted, with its reason, and does not count it", () => {
    const objs = baseline();
    server(objs).image = "ghcr.io/bijux/bijux-atlas:0.1.0";
    const name = workload(objs).metadata.name;
    const [f] = check(objs, { exemptions: [{ policy: "atlas-image-digest", kind: "Deployment", name, reason: "INC-1: unreleased build" }] });
    assert.equal(f.policy, "atlas-image-digest");
    assert.equal(f.exemptedBecause, "INC-1: unreleased build");
    assert.deepEqual(mandatory([f]), []);
  });
});
