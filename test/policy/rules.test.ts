import { strict as assert } from "assert";
import { profiles, renderProfile } from "../../lib/chartProfiles";
import type { PackConfig } from "../../policy/src/config";
import { check } from "../../policy/src/evaluate";
import { rules } from "../../policy/src/rules";
import { contractStoreCredentialKeys } from "../../contract/env";
import { componentLabel } from "../../contract/labels";
import { catalogPublishComponent, paths } from "../../contract/pod";
import { asKind, atlasPod, baseline, K8sObject, podSpec, podSpecOf, server, workload } from "./support/baseline";
import { mandatory, messagesOf, policiesHit } from "./support/findings";

describe("policy pack on the chart's renders", () => {
  for (const profile of profiles) {
    it(`passes every rule on the ${profile.name} profile`, () => {
      const config: PackConfig = { "atlas-rollout-crds": { preinstalled: true } };
      assert.deepEqual(check(renderProfile(profile.name), { config }).map((f) => `${f.policy}: ${f.message}`), []);
    });
  }
});

describe("policy rules: every rule module", () => {
  it("has unique names", () => assert.equal(new Set(rules.map((r) => r.name)).size, rules.length));
  for (const rule of rules) {
    it(`${rule.name} names its clause, describes itself, says what to do and has a level`, () => {
      assert.ok(rule.clause.length > 10 && rule.description.length > 10 && rule.remediation.length > 10);
      assert.ok(["mandatory", "advisory"].includes(rule.level));
    });
  }
});

describe("policy rules look into every pod-bearing kind and every container", () => {
  for (const kind of ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "PodTemplate", "Rollout"]) {
    it(`finds a privileged init container in a ${kind}`, () => {
      const o = asKind(kind);
      const spec = podSpecOf(o);
      spec.initContainers = [{ ...structuredClone(spec.containers[0]), name: "init", securityContext: { ...spec.containers[0].securityContext, privileged: true } }];
      assert.ok(check([o]).some((f) => f.policy === "pss-privileged" && f.message.startsWith("initContainers[init]")));
    });
  }

  it("finds an ephemeral container without allowPrivilegeEscalation: false", () => {
    const pod = atlasPod();
    pod.spec.ephemeralContainers = [{ name: "debug", image: pod.spec.containers[0].image, securityContext: { ...pod.spec.containers[0].securityContext, allowPrivilegeEscalation: true } }];
    assert.ok(check([pod]).some((f) => f.policy === "pss-allow-privilege-escalation" && f.message.startsWith("ephemeralContainers[debug]")));
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

describe("policy rules accept what the contract allows", () => {
  const passes = (mutate: (o: K8sObject[]) => void) => {
    const objs = baseline();
    mutate(objs);
    return check(objs).map((f) => `${f.policy}: ${f.message}`);
  };
  it("NET_BIND_SERVICE added", () => assert.deepEqual(passes((o) => (server(o).securityContext.capabilities.add = ["NET_BIND_SERVICE"])), []));
  it("a Localhost seccomp profile", () => assert.deepEqual(passes((o) => (server(o).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "atlas.json" })), []));
  it("runAsNonRoot set only on the container", () => assert.deepEqual(passes((o) => delete podSpec(o).securityContext.runAsNonRoot), []));
  it("seccomp set only on the pod", () => assert.deepEqual(passes((o) => delete server(o).securityContext.seccompProfile), []));
  it("a safe sysctl of v1.37", () => assert.deepEqual(passes((o) => (podSpec(o).securityContext.sysctls = [{ name: "net.ipv4.tcp_notsent_lowat", value: "16384" }])), []));
  it("a container_engine_t SELinux type", () => assert.deepEqual(passes((o) => (server(o).securityContext.seLinuxOptions = { type: "container_engine_t", level: "s0:c1,c2" })), []));
  it("a RuntimeDefault AppArmor profile", () => assert.deepEqual(passes((o) => (server(o).securityContext.appArmorProfile = { type: "RuntimeDefault" })), []));
  it("an empty AppArmor annotation", () => assert.deepEqual(passes((o) => (o.find((x) => x.kind === "Deployment")!.spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/server"] = "")), []));
  it("read-only configMap and secret mounts anywhere", () =>
    assert.deepEqual(
      passes((o) => {
        podSpec(o).volumes.push({ name: "conf", configMap: { name: "x" } }, { name: "tls", secret: { secretName: "y" } });
        server(o).volumeMounts.push({ name: "conf", mountPath: "/etc/atlas" }, { name: "tls", mountPath: "/etc/tls" });
      }),
      [],
    ));
  it("a readOnly mount of an emptyDir anywhere", () => assert.deepEqual(passes((o) => server(o).volumeMounts.push({ name: "tmp", mountPath: "/srv/view", readOnly: true })), []));
  it("a writable /store on the catalog publish Job's pods", () =>
    assert.deepEqual(
      passes((o) => {
        workload(o).spec.template.metadata.labels[componentLabel] = catalogPublishComponent;
        server(o).volumeMounts.push({ name: "tmp", mountPath: paths.store });
      }),
      [],
    ));
  it("/cache on a PersistentVolumeClaim", () => assert.deepEqual(passes((o) => (podSpec(o).volumes[0] = { name: "cache", persistentVolumeClaim: { claimName: "ssd" } })), []));
  it("a credential from a secretKeyRef", () => assert.deepEqual(passes((o) => (server(o).env = [{ name: "ATLAS_STORE_S3_BEARER", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }])), []));
});

describe("atlas-secret-env: the contract's store credentials (contract/env.ts contractStoreCredentialKeys)", () => {
  /** The baseline with one more env entry on the server container. */
  const withEnv = (entry: Record<string, unknown>) => {
    const objs = baseline();
    server(objs).env = [...(server(objs).env ?? []), entry];
    return objs;
  };

  for (const key of Object.values(contractStoreCredentialKeys)) {
    it(`refuses ${key} as a literal value`, () => {
      assert.deepEqual(messagesOf(withEnv({ name: key, value: "AKIAEXAMPLE" }), "atlas-secret-env"), [`containers[server]: ${key} is a literal env value`]);
    });

    it(`refuses ${key} from a configMapKeyRef`, () => {
      assert.deepEqual(messagesOf(withEnv({ name: key, valueFrom: { configMapKeyRef: { name: "store", key: "k" } } }), "atlas-secret-env"), [`containers[server]: ${key} is not read from a secretKeyRef`]);
    });

    it(`admits ${key} from a secretKeyRef`, () => {
      assert.deepEqual(check(withEnv({ name: key, valueFrom: { secretKeyRef: { name: "store", key: "k" } } })).map((f) => `${f.policy}: ${f.message}`), []);
    });
  }
});

describe("policy config", () => {
  it("lowers a policy to advisory (the dev stack's digest rule)", () => {
    const objs = baseline();
    server(objs).image = "localhost:5001/bijux-atlas:dev";
    const f = check(objs, { config: { "atlas-image-digest": "advisory" } }).filter((x) => x.policy === "atlas-image-digest");
    assert.deepEqual(f.map((x) => x.enforcement), ["advisory"]);
  });

  it("disables a policy", () => {
    const objs = baseline().filter((o) => o.kind !== "PodDisruptionBudget");
    assert.ok(!policiesHit(objs, { "atlas-pdb": { enforcementLevel: "disabled" } }).includes("atlas-pdb"));
  });

  it("hands a rule its own settings (atlas-rollout-crds: preinstalled)", () => {
    const objs = [asKind("Rollout")];
    assert.ok(policiesHit(objs).includes("atlas-rollout-crds"));
    assert.ok(!policiesHit(objs, { "atlas-rollout-crds": { preinstalled: true } }).includes("atlas-rollout-crds"));
  });

  it("reports an exempted finding as exempted, with its reason, and does not count it", () => {
    const objs = baseline();
    server(objs).image = "ghcr.io/bijux/bijux-atlas:0.1.0";
    const [f] = check(objs, { exemptions: [{ policy: "atlas-image-digest", kind: "Deployment", name: "atlas-bijux-atlas", reason: "INC-1: unreleased build" }] });
    assert.equal(f.policy, "atlas-image-digest");
    assert.equal(f.exemptedBecause, "INC-1: unreleased build");
    assert.deepEqual(mandatory([f]), []);
  });
});
