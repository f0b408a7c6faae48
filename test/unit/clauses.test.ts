/**
 * One table of the contract's clauses, each breached three ways: as stack config (the program
 * refuses it before declaring anything), as chart values (`helm template` refuses it) and as
 * rendered objects (the policy pack refuses them). Where a layer has no way to express the
 * breach, the row says why instead of testing it.
 */
import { strict as assert } from "assert";
import { validateStackConfig } from "../../config/load";
import { keyPath } from "../../config/problems";
import { dns } from "../../contract/network";
import { podTemplateOf } from "../../contract/k8s";
import { check } from "../../policy/src/evaluate";
import { helmTemplate, K8sObject, profiles, renderProfile } from "../support/chart";
import { rawConfig } from "./fixtures";

type Layer<T> = T | { cannot: string };

interface Clause {
  /** The contract's words. */
  clause: string;
  /** Stack, its `atlas:` edits, and the key the refusal must name. */
  stack: Layer<{ stack: string; set: Record<string, unknown>; key: string }>;
  /** Values over the default profile (or `profile`), and what the refusal must say. */
  chart: Layer<{ profile?: string; values: Record<string, unknown>; error: RegExp }>;
  /** A mutation of the rendered default profile (or `profile`) and the policy that must refuse it. */
  policy: Layer<{ profile?: string; mutate: (objects: K8sObject[]) => void; rule: RegExp }>;
}

const workload = (objects: K8sObject[]) => objects.find((o) => o.kind === "Deployment")!;
const podSpec = (objects: K8sObject[]): any => podTemplateOf(workload(objects))!.spec;
const server = (objects: K8sObject[]) => podSpec(objects).containers[0];
const egressPolicy = (objects: K8sObject[]) => objects.find((o) => o.kind === "NetworkPolicy")!;
const fixedByChart = "the chart writes it from the contract module; no value changes it";

const clauses: Clause[] = [
  {
    clause: "runAsNonRoot: true",
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { mutate: (o) => (podSpec(o).securityContext.runAsNonRoot = false), rule: /non-root/ },
  },
  {
    clause: "readOnlyRootFilesystem: true",
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { mutate: (o) => (server(o).securityContext.readOnlyRootFilesystem = false), rule: /read-only-root/ },
  },
  {
    clause: "allowPrivilegeEscalation: false",
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { mutate: (o) => (server(o).securityContext.allowPrivilegeEscalation = true), rule: /privilege-escalation/ },
  },
  {
    clause: "Linux capabilities dropped (ALL)",
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { mutate: (o) => (server(o).securityContext.capabilities = { drop: ["ALL"], add: ["NET_ADMIN"] }), rule: /capabilities/ },
  },
  {
    clause: "Explicit writable mounts only for /cache and /tmp",
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: {
      mutate: (o) => {
        podSpec(o).volumes.push({ name: "scratch", emptyDir: { sizeLimit: "1Gi" } });
        server(o).volumeMounts.push({ name: "scratch", mountPath: "/var/scratch" });
      },
      rule: /writable-mounts/,
    },
  },
  {
    clause: "emptyDir limits are explicit for both cache and tmp volumes",
    stack: { stack: "dev", set: { "atlas:cache.tmpSize": "0" }, key: "atlas:cache.tmpSize" },
    chart: { values: { cache: { tmpSize: "0" } }, error: /tmpSize/ },
    policy: { mutate: (o) => delete podSpec(o).volumes.find((v: any) => v.name === "tmp").emptyDir.sizeLimit, rule: /emptydir-size-limit/ },
  },
  {
    clause: "requests/limits include ephemeral-storage, aligned with the cache",
    stack: { stack: "dev", set: { "atlas:resources.limits.ephemeral-storage": "1Mi" }, key: "atlas:resources.limits.ephemeral-storage" },
    chart: { values: { resources: { limits: { "ephemeral-storage": "1Mi" } } }, error: /ephemeral-storage/ },
    policy: { mutate: (o) => delete server(o).resources.limits["ephemeral-storage"], rule: /resources/ },
  },
  {
    clause: "Align cache.diskSize and cache.maxDiskBytes",
    stack: { stack: "dev", set: { "atlas:cache.maxDiskBytes": 4 * 2 ** 30 }, key: "atlas:cache.maxDiskBytes" },
    chart: { values: { cache: { maxDiskBytes: 16 * 2 ** 30 } }, error: /maxDiskBytes/ },
    policy: { cannot: "the cap is a ConfigMap value the server reads; the policy checks pod objects, and the API server accepts any number" },
  },
  {
    clause: "No broad egress permit",
    stack: { stack: "dev", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "0.0.0.0/0", ports: [{ port: 443 }] }] }, key: "atlas:networkPolicy.egressCidrs[0].cidr" },
    chart: { values: { networkPolicy: { egressCidrs: [{ cidr: "0.0.0.0/0", ports: [{ port: 443 }] }] } }, error: /egressCidrs/ },
    policy: { mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443, protocol: "TCP" }] }), rule: /egress/ },
  },
  {
    clause: "Explicit egress CIDR allowlist: every CIDR with its ports",
    stack: { stack: "dev", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "172.18.0.1/32", ports: [] }] }, key: "atlas:networkPolicy.egressCidrs[0].ports" },
    chart: { values: { networkPolicy: { egressCidrs: [{ cidr: "10.0.0.0/8", ports: [] }] } }, error: /ports/ },
    policy: { mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.0.0.0/8" } }] }), rule: /egress/ },
  },
  {
    clause: "Optional DNS egress to kube-system (and nowhere else)",
    stack: { cannot: "the DNS namespace and port come from the contract module; the stack only turns DNS on or off" },
    chart: { cannot: "the DNS rule is written from the contract module; values only turn it on or off" },
    policy: {
      mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ namespaceSelector: {} }], ports: [{ port: dns.port, protocol: "UDP" }] }),
      rule: /egress/,
    },
  },
  {
    clause: "Offline: no external store access at runtime (cached-only allows no egress CIDR)",
    stack: { stack: "offline", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "10.0.0.0/8", ports: [{ port: 443 }] }] }, key: "atlas:networkPolicy.egressCidrs" },
    chart: { profile: "offline", values: { networkPolicy: { egressCidrs: [{ cidr: "10.0.0.0/8", ports: [{ port: 443 }] }] } }, error: /egressCidrs/ },
    policy: {
      profile: "offline",
      mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 443, protocol: "TCP" }] }),
      rule: /egress/,
    },
  },
  {
    clause: "Ready only when the catalog is reachable, unless cached-only mode is enabled",
    stack: { stack: "dev", set: { "atlas:store.url": "" }, key: "atlas:store.url" },
    chart: { values: { store: { url: "" } }, error: /store/ },
    policy: { cannot: "readiness is the server's behaviour under its env; the server tier runs the real server to check it" },
  },
  {
    clause: "Probes: startup and readiness on /readyz, liveness on /healthz",
    stack: { cannot: "probe paths come from the contract module; the stack sets only timings" },
    chart: { cannot: "probe paths come from the contract module; values set only timings" },
    policy: { mutate: (o) => delete server(o).readinessProbe, rule: /probes/ },
  },
  {
    clause: "Image pinned: no latest tag, a digest",
    stack: { stack: "dev", set: { "atlas:image": { source: "pinned", ref: "ghcr.io/bijux/bijux-atlas:latest" } }, key: "atlas:image.ref" },
    chart: { values: { image: { tag: "latest" } }, error: /latest|tag/ },
    policy: { mutate: (o) => (server(o).image = "ghcr.io/bijux/bijux-atlas:latest"), rule: /image-(tag|digest)/ },
  },
  {
    clause: "Secret stores store credentials; the ConfigMap stores non-secret config",
    stack: { stack: "dev", set: { "atlas:server.extraConfig.ATLAS_STORE_S3_BEARER": "x" }, key: "atlas:server.extraConfig.ATLAS_STORE_S3_BEARER" },
    chart: { values: { server: { extraConfig: { ATLAS_STORE_S3_BEARER: "x" } } }, error: /extraConfig|ATLAS_STORE_S3_BEARER/ },
    policy: { mutate: (o) => (server(o).env ??= []).push({ name: "ATLAS_STORE_S3_BEARER", value: "x" }), rule: /secret-env/ },
  },
  {
    clause: "Env names are the pinned server's (it refuses unknown ATLAS_ names at start)",
    stack: { stack: "dev", set: { "atlas:server.extraConfig.ATLAS_CACHE_DIR": "/cache" }, key: "atlas:server.extraConfig.ATLAS_CACHE_DIR" },
    chart: { values: { server: { extraConfig: { ATLAS_CACHE_DIR: "/cache" } } }, error: /extraConfig|ATLAS_CACHE_DIR/ },
    policy: { cannot: "the server's allowlist is checked where values are typed; the server tier checks every rendered key against the crate's allowlist" },
  },
  {
    clause: "Pinned dataset ids are the server's release/species/assembly",
    stack: { stack: "dev", set: { "atlas:cache.pinnedDatasets": ["GRCh38/release-112"] }, key: "atlas:cache.pinnedDatasets[0]" },
    chart: { values: { cache: { pinnedDatasets: ["GRCh38/release-112"] } }, error: /pinnedDatasets/ },
    policy: { cannot: "dataset ids travel as one ConfigMap string; their grammar is checked where values are typed" },
  },
  {
    clause: "Init prewarm needs pinned datasets",
    stack: { stack: "dev", set: { "atlas:cache.initPrewarm.enabled": true, "atlas:cache.pinnedDatasets": [] }, key: "atlas:cache.pinnedDatasets" },
    chart: { values: { cache: { initPrewarm: { enabled: true }, pinnedDatasets: [] } }, error: /pinnedDatasets/ },
    policy: { cannot: "warm-up is server behaviour under its env, checked by the server tier" },
  },
  {
    clause: "Graceful drain within the termination grace period",
    stack: { stack: "dev", set: { "atlas:server.shutdownDrainSeconds": 30 }, key: "atlas:server.shutdownDrainSeconds" },
    chart: { values: { server: { shutdownDrainSeconds: 30 } }, error: /shutdownDrainSeconds/ },
    policy: { cannot: "the drain is a ConfigMap value; the server tier checks it against terminationGracePeriodSeconds on the real server" },
  },
  {
    clause: "Requests within limits",
    stack: { stack: "dev", set: { "atlas:resources.requests.memory": "64Gi" }, key: "atlas:resources.requests.memory" },
    chart: { values: { resources: { requests: { memory: "64Gi" } } }, error: /memory|requests/ },
    policy: { cannot: "the API server itself refuses requests above limits" },
  },
  {
    clause: "HPA: a floor no higher than its ceiling",
    stack: { stack: "dev", set: { "atlas:hpa.minReplicas": 5, "atlas:hpa.maxReplicas": 3 }, key: "atlas:hpa.minReplicas" },
    chart: { values: { hpa: { minReplicas: 5, maxReplicas: 3 } }, error: /minReplicas/ },
    policy: { cannot: "the API server itself refuses minReplicas above maxReplicas" },
  },
  {
    clause: "Canary only with the Argo Rollouts CRDs and controller installed",
    stack: { stack: "dev", set: { "atlas:argoRollouts.mode": "disabled" }, key: "atlas:argoRollouts.mode" },
    chart: { cannot: "the chart cannot know what the cluster has installed" },
    policy: { cannot: "whether the CRDs exist is known at preview from the stack's resources, not from the atlas objects" },
  },
];

const skip = (layer: object): layer is { cannot: string } => "cannot" in layer;

describe("contract clauses, refused by every layer that can express them", () => {
  it("covers the contract with a validator in at least one layer per clause", () => {
    for (const c of clauses) assert.ok([c.stack, c.chart, c.policy].some((l) => !skip(l)), c.clause);
  });

  describe("the compliant baselines", () => {
    it("pass the stack config, the chart and the policy pack", () => {
      for (const stack of ["dev", "offline"]) assert.deepEqual(validateStackConfig(rawConfig(stack), () => false).problems, [], stack);
      for (const profile of ["default", "offline"]) {
        const findings = check(renderProfile(profile)).filter((f) => f.enforcement === "mandatory" && !f.exemptedBecause);
        assert.deepEqual(findings.map((f) => `${f.policy}: ${f.message}`), [], profile);
      }
    });
  });

  for (const c of clauses) {
    describe(c.clause, () => {
      if (!skip(c.stack)) {
        const { stack, set, key } = c.stack;
        it(`stack config refuses it, naming ${key}`, () => {
          const { problems } = validateStackConfig(rawConfig(stack, set), () => false);
          assert.ok(problems.some((p) => keyPath(p.path) === key), `${key} not among ${problems.map((p) => keyPath(p.path)).join(", ") || "no problems"}`);
        });
      }
      if (!skip(c.chart)) {
        const { profile, values, error } = c.chart;
        it("helm template refuses it", () => {
          const r = helmTemplate({ valuesFiles: profiles.find((p) => p.name === (profile ?? "default"))!.valuesFiles, values });
          assert.notEqual(r.status, 0, "the chart rendered the breach");
          assert.match(r.stderr, error);
        });
      }
      if (!skip(c.policy)) {
        const { profile, mutate, rule } = c.policy;
        it(`the policy pack refuses it (${rule.source})`, () => {
          const objects = renderProfile(profile ?? "default");
          mutate(objects);
          const findings = check(objects).filter((f) => f.enforcement === "mandatory" && !f.exemptedBecause);
          assert.ok(findings.some((f) => rule.test(f.policy)), `no ${rule.source} finding among: ${findings.map((f) => f.policy).join(", ") || "none"}`);
        });
      }
    });
  }
});
