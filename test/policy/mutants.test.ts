import { strict as assert } from "assert";
import { check } from "../../policy/src/evaluate";
import { baseline, byKind, K8sObject, networkPolicy, podSpec, server, workload } from "./support/baseline";
import { policiesHit } from "./support/findings";

interface Mutant {
  name: string;
  cachedOnly?: boolean;
  mutate: (objs: K8sObject[]) => void;
  /** The policy meant to catch it. */
  caughtBy: string;
  /** Other policies the same change necessarily breaks (an untagged image is also unpinned). */
  also?: string[];
}

const egress = (o: K8sObject[]) => networkPolicy(o).spec.egress;

/** Each mutant breaks exactly one clause of the compliant baseline. */
const mutants: Mutant[] = [
  { name: "privileged container", mutate: (o) => (server(o).securityContext.privileged = true), caughtBy: "pss-privileged" },
  { name: "Windows HostProcess", mutate: (o) => (server(o).securityContext.windowsOptions = { hostProcess: true }), caughtBy: "pss-windows-host-process" },
  { name: "hostNetwork", mutate: (o) => (podSpec(o).hostNetwork = true), caughtBy: "pss-host-namespaces" },
  { name: "hostPID", mutate: (o) => (podSpec(o).hostPID = true), caughtBy: "pss-host-namespaces" },
  { name: "hostIPC", mutate: (o) => (podSpec(o).hostIPC = true), caughtBy: "pss-host-namespaces" },
  { name: "hostPort", mutate: (o) => (server(o).ports[0].hostPort = 8080), caughtBy: "pss-host-ports" },
  { name: "nfs volume", mutate: (o) => podSpec(o).volumes.push({ name: "nfs", nfs: { server: "x", path: "/" } }), caughtBy: "pss-restricted-volumes" },
  { name: "hostPath volume", mutate: (o) => podSpec(o).volumes.push({ name: "host", hostPath: { path: "/var" } }), caughtBy: "pss-restricted-volumes" },
  { name: "capabilities not dropped", mutate: (o) => delete server(o).securityContext.capabilities.drop, caughtBy: "pss-capabilities" },
  { name: "NET_ADMIN added", mutate: (o) => (server(o).securityContext.capabilities.add = ["NET_ADMIN"]), caughtBy: "pss-capabilities" },
  { name: "runAsNonRoot false on the pod and unset on the container", mutate: (o) => ((podSpec(o).securityContext.runAsNonRoot = false), delete server(o).securityContext.runAsNonRoot), caughtBy: "pss-run-as-non-root", also: ["atlas-non-root"] },
  { name: "runAsUser 0", mutate: (o) => (server(o).securityContext.runAsUser = 0), caughtBy: "pss-run-as-user", also: ["atlas-non-root"] },
  { name: "runAsNonRoot unset in a user namespace (Pod Security admits it, the contract does not)", mutate: (o) => ((podSpec(o).hostUsers = false), delete podSpec(o).securityContext.runAsNonRoot, delete server(o).securityContext.runAsNonRoot), caughtBy: "atlas-non-root" },
  { name: "privilege escalation allowed", mutate: (o) => (server(o).securityContext.allowPrivilegeEscalation = true), caughtBy: "pss-allow-privilege-escalation" },
  { name: "seccomp Unconfined", mutate: (o) => (server(o).securityContext.seccompProfile = { type: "Unconfined" }), caughtBy: "pss-seccomp-profile" },
  { name: "no seccomp anywhere", mutate: (o) => (delete podSpec(o).securityContext.seccompProfile, delete server(o).securityContext.seccompProfile), caughtBy: "pss-seccomp-profile" },
  { name: "AppArmor unconfined", mutate: (o) => (server(o).securityContext.appArmorProfile = { type: "Unconfined" }), caughtBy: "pss-app-armor-profile" },
  { name: "AppArmor unconfined annotation", mutate: (o) => (workload(o).spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/server"] = "unconfined"), caughtBy: "pss-app-armor-profile" },
  { name: "SELinux custom type", mutate: (o) => (server(o).securityContext.seLinuxOptions = { type: "spc_t" }), caughtBy: "pss-se-linux-options" },
  { name: "SELinux user", mutate: (o) => (podSpec(o).securityContext.seLinuxOptions = { user: "system_u" }), caughtBy: "pss-se-linux-options" },
  { name: "unmasked /proc", mutate: (o) => (server(o).securityContext.procMount = "Unmasked"), caughtBy: "pss-proc-mount" },
  { name: "unsafe sysctl", mutate: (o) => (podSpec(o).securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }]), caughtBy: "pss-sysctls" },
  { name: "probe to another host", mutate: (o) => (server(o).livenessProbe.httpGet.host = "10.0.0.1"), caughtBy: "pss-host-probes-and-host-lifecycle" },
  { name: "writable root filesystem", mutate: (o) => (server(o).securityContext.readOnlyRootFilesystem = false), caughtBy: "atlas-read-only-root" },
  { name: "writable mount outside /cache and /tmp", mutate: (o) => server(o).volumeMounts.push({ name: "tmp", mountPath: "/var/lib/atlas" }), caughtBy: "atlas-writable-mounts" },
  { name: "writable /store on the server", mutate: (o) => server(o).volumeMounts.push({ name: "tmp", mountPath: "/store" }), caughtBy: "atlas-writable-mounts" },
  { name: "unbounded /tmp emptyDir", mutate: (o) => delete podSpec(o).volumes[1].emptyDir.sizeLimit, caughtBy: "atlas-emptydir-size-limit" },
  { name: "/cache on a configMap", mutate: (o) => (podSpec(o).volumes[0] = { name: "cache", configMap: { name: "x" } }), caughtBy: "atlas-cache-volume" },
  { name: "no ephemeral-storage limit", mutate: (o) => delete server(o).resources.limits["ephemeral-storage"], caughtBy: "atlas-resources" },
  { name: "no memory request", mutate: (o) => delete server(o).resources.requests.memory, caughtBy: "atlas-resources" },
  { name: "init container without resources", mutate: (o) => (podSpec(o).initContainers = [{ ...structuredClone(server(o)), name: "warmup", resources: undefined, startupProbe: undefined, readinessProbe: undefined, livenessProbe: undefined }]), caughtBy: "atlas-resources" },
  { name: "liveness on /readyz", mutate: (o) => (server(o).livenessProbe.httpGet.path = "/readyz"), caughtBy: "atlas-probes" },
  { name: "no startup probe", mutate: (o) => delete server(o).startupProbe, caughtBy: "atlas-probes" },
  { name: "image tag latest, even with a digest", mutate: (o) => (server(o).image = server(o).image.replace(":0.2.2@", ":latest@")), caughtBy: "atlas-image-tag" },
  { name: "untagged image", mutate: (o) => (server(o).image = "ghcr.io/bijux/bijux-atlas"), caughtBy: "atlas-image-tag", also: ["atlas-image-digest"] },
  { name: "tag without digest", mutate: (o) => (server(o).image = "ghcr.io/bijux/bijux-atlas:0.1.0"), caughtBy: "atlas-image-digest" },
  { name: "store token as a literal env value", mutate: (o) => (server(o).env = [{ name: "ATLAS_STORE_S3_BEARER", value: "hunter2" }]), caughtBy: "atlas-secret-env" },
  { name: "store key in the ConfigMap", mutate: (o) => (byKind(o, "ConfigMap").data.ATLAS_STORE_ACCESS_KEY = "AKIA"), caughtBy: "atlas-secret-env" },
  { name: "store key from a configMapKeyRef", mutate: (o) => (server(o).env = [{ name: "ATLAS_STORE_SECRET_KEY", valueFrom: { configMapKeyRef: { name: "x", key: "k" } } }]), caughtBy: "atlas-secret-env" },
  {
    name: "store key loaded from another ConfigMap with envFrom",
    mutate: (o) => {
      o.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "creds", namespace: "atlas" }, data: { SECRET_KEY: "x" } });
      server(o).envFrom.push({ configMapRef: { name: "creds" }, prefix: "ATLAS_STORE_" });
    },
    caughtBy: "atlas-secret-env",
  },
  { name: "egress to 0.0.0.0/0", mutate: (o) => egress(o).push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }), caughtBy: "atlas-egress" },
  { name: "egress to two halves of IPv4", mutate: (o) => egress(o).push({ to: [{ ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }], ports: [{ port: 443 }] }), caughtBy: "atlas-egress" },
  { name: "egress rule without to", mutate: (o) => egress(o).push({ ports: [{ port: 443 }] }), caughtBy: "atlas-egress" },
  { name: "egress rule without ports", mutate: (o) => egress(o).push({ to: [{ ipBlock: { cidr: "10.0.0.1/32" } }] }), caughtBy: "atlas-egress" },
  { name: "egress to an empty namespaceSelector", mutate: (o) => egress(o).push({ to: [{ namespaceSelector: {} }], ports: [{ port: 443 }] }), caughtBy: "atlas-egress" },
  { name: "DNS egress to another namespace", mutate: (o) => (egress(o)[0].to[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"] = "dns-system"), caughtBy: "atlas-egress" },
  { name: "Egress missing from policyTypes", mutate: (o) => ((networkPolicy(o).spec.policyTypes = ["Ingress"]), delete networkPolicy(o).spec.egress), caughtBy: "atlas-egress" },
  { name: "empty egress with policyTypes omitted", mutate: (o) => ((networkPolicy(o).spec.egress = []), delete networkPolicy(o).spec.policyTypes), caughtBy: "atlas-egress" },
  { name: "NetworkPolicy selecting other pods", mutate: (o) => (networkPolicy(o).spec.podSelector = { matchLabels: { app: "other" } }), caughtBy: "atlas-egress" },
  { name: "CIDR egress in cached-only mode", cachedOnly: true, mutate: (o) => egress(o).push({ to: [{ ipBlock: { cidr: "10.1.0.0/24" } }], ports: [{ port: 443 }] }), caughtBy: "atlas-egress" },
  { name: "HPA without the latency metric", mutate: (o) => byKind(o, "HorizontalPodAutoscaler").spec.metrics.splice(1, 1), caughtBy: "atlas-hpa" },
  { name: "no PDB", mutate: (o) => o.splice(o.indexOf(byKind(o, "PodDisruptionBudget")), 1), caughtBy: "atlas-pdb" },
  { name: "Rollout without its CRDs", mutate: (o) => o.push({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "r", namespace: "atlas" }, spec: { workloadRef: { kind: "Deployment", name: "atlas-bijux-atlas" } } }), caughtBy: "atlas-rollout-crds" },
];

describe("policy mutants: each broken clause is caught by the rule meant for it", () => {
  it(`has at least 40 mutants (${mutants.length})`, () => assert.ok(mutants.length >= 40));

  for (const m of mutants) {
    it(`${m.name} -> ${m.caughtBy}`, () => {
      const objs = baseline({ cachedOnly: m.cachedOnly });
      m.mutate(objs);
      const hit = policiesHit(objs);
      assert.deepEqual(hit, [m.caughtBy, ...(m.also ?? [])].sort(), `caught by ${JSON.stringify(hit)}`);
    });
  }

  it("reports advisory rules as advisory, mandatory ones as mandatory", () => {
    const objs = baseline();
    objs.splice(objs.indexOf(byKind(objs, "PodDisruptionBudget")), 1);
    server(objs).securityContext.privileged = true;
    const levels = Object.fromEntries(check(objs).map((f) => [f.policy, f.enforcement]));
    assert.deepEqual(levels, { "atlas-pdb": "advisory", "pss-privileged": "mandatory" });
  });
});
