/**
 * One table of breaches of the contract's clauses (contract/clauses.ts), each breach expressed
 * three ways: as stack config (the program refuses it before declaring anything), as chart values
 * (`helm template` refuses it) and as rendered objects (the policy pack reports it, at the level
 * the row expects). Where a layer has no way to express the breach, the row says why instead of
 * testing it; where no layer can, the row names the tests elsewhere that hold the clause. Every
 * clause has a row, and every row names clauses that exist.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { valuesConstraints } from "../../config/chartConstraints";
import { validateStackConfig } from "../../config/load";
import { keyPath } from "../../config/problems";
import { allClauses, ClauseId } from "../../contract/clauses";
import { dns } from "../../contract/network";
import { podTemplateOf } from "../../contract/k8s";
import { inflightHeavy, latencyP95 } from "../../contract/metrics";
import { env } from "../../contract/env";
import { repoRoot } from "../../lib/paths";
import { check } from "../../policy/src/evaluate";
import { K8sObject, profiles, renderProfile } from "../../lib/chartProfiles";
import { helmTemplate } from "../support/chart";
import { rawConfig } from "./fixtures";

type Layer<T> = T | { cannot: string };

interface Clause {
  /** The breach, in words. */
  clause: string;
  /** The clauses of contract/clauses.ts it breaches. */
  ids: ClauseId[];
  /** Stack, its `atlas:` edits, and the key the refusal must name. */
  stack: Layer<{ stack: string; set: Record<string, unknown>; key: string }>;
  /** Values over the default profile (or `profile`), and what the refusal must say. */
  chart: Layer<{ profile?: string; values: Record<string, unknown>; error: RegExp }>;
  /**
   * A mutation of the rendered default profile (or `profile`), the policy that must report it and
   * at which level (default mandatory: the pack refuses it; advisory: it reports without refusing).
   */
  policy: Layer<{ profile?: string; mutate: (objects: K8sObject[]) => void; rule: RegExp; level?: "mandatory" | "advisory" }>;
  /** Tests elsewhere that hold the clause (a file and a test title in it), for breaches no layer here can express. */
  checkedBy?: { file: string; test: string }[];
}

const workload = (objects: K8sObject[]) => objects.find((o) => o.kind === "Deployment" || o.kind === "Rollout")!;
const podSpec = (objects: K8sObject[]): any => podTemplateOf(workload(objects))!.spec;
const server = (objects: K8sObject[]) => podSpec(objects).containers[0];
const egressPolicy = (objects: K8sObject[]) => objects.find((o) => o.kind === "NetworkPolicy")!;
const ofKind = (objects: K8sObject[], kind: string) => objects.find((o) => o.kind === kind)!;
const drop = (objects: K8sObject[], kind: string) => objects.splice(objects.indexOf(ofKind(objects, kind)), 1);
const hpaMetrics = (objects: K8sObject[]): any[] => ofKind(objects, "HorizontalPodAutoscaler").spec.metrics;
const withoutMetric = (keep: (m: any) => boolean) => (o: K8sObject[]) => {
  ofKind(o, "HorizontalPodAutoscaler").spec.metrics = hpaMetrics(o).filter(keep);
};
const fixedByChart = "the chart writes it from the contract module; no value changes it";
const egressCoverage = valuesConstraints.find((c) => c.id === "egress-coverage")!;
const hpaMetricsFixed = "the HPA's metrics come from the contract module; values set only their targets";
const dockerfile = "test/docker/dockerfile.test.ts";
const workloads = "test/chart/workloads.test.ts";
const imageFixed = "the image is docker/Dockerfile's build (or a digest the stack pins); no stack key, chart value or rendered field changes how it is built";

const clauses: Clause[] = [
  // Container Image
  {
    clause: "The image is a reproducible multi-stage build of the pinned crates with --locked, on distroless",
    ids: ["image.multi-stage", "image.locked-build", "image.distroless"],
    stack: { cannot: imageFixed },
    chart: { cannot: imageFixed },
    policy: { cannot: "a rendered pod carries only the image reference, not how the image was built" },
    checkedBy: [
      { file: dockerfile, test: "is a multi-stage build: a build stage and a runtime stage" },
      { file: dockerfile, test: "builds both pinned crates with cargo install --locked, in one run" },
      { file: dockerfile, test: "runs on gcr.io/distroless/cc-debian12:nonroot" },
    ],
  },
  {
    clause: "Image pinned: no latest tag, a digest",
    ids: ["image.non-root-immutable"],
    stack: { stack: "dev", set: { "atlas:image": { source: "pinned", ref: "ghcr.io/bijux/bijux-atlas:latest" } }, key: "atlas:image.ref" },
    chart: { values: { image: { tag: "latest" } }, error: /latest|tag/ },
    policy: { mutate: (o) => (server(o).image = "ghcr.io/bijux/bijux-atlas:latest"), rule: /image-(tag|digest)/ },
  },
  {
    clause: "The server runs as the image's entrypoint, the pinned server binary, with no arguments",
    ids: ["image.runtime-command"],
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { cannot: "the pinned server refuses the contract's `atlas serve` arguments; which command a container runs is checked against the real binaries, not by a rule" },
    checkedBy: [
      { file: workloads, test: "runs the pinned server binary with no arguments (its config is the ConfigMap)" },
      { file: "test/server/commands.test.ts", test: "every container runs an image binary with arguments it accepts" },
    ],
  },
  // Security Defaults, Filesystem strategy
  {
    clause: "runAsNonRoot: true",
    ids: ["security.run-as-non-root"],
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { mutate: (o) => (podSpec(o).securityContext.runAsNonRoot = false), rule: /non-root/ },
  },
  {
    clause: "readOnlyRootFilesystem: true",
    ids: ["security.read-only-root", "filesystem.read-only-root"],
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { mutate: (o) => (server(o).securityContext.readOnlyRootFilesystem = false), rule: /read-only-root/ },
  },
  {
    clause: "allowPrivilegeEscalation: false",
    ids: ["security.no-privilege-escalation"],
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { mutate: (o) => (server(o).securityContext.allowPrivilegeEscalation = true), rule: /privilege-escalation/ },
  },
  {
    clause: "Linux capabilities dropped (ALL)",
    ids: ["security.drop-all-capabilities"],
    stack: { cannot: fixedByChart },
    chart: { cannot: fixedByChart },
    policy: { mutate: (o) => (server(o).securityContext.capabilities = { drop: ["ALL"], add: ["NET_ADMIN"] }), rule: /capabilities/ },
  },
  {
    clause: "Explicit writable mounts only for /cache and /tmp",
    ids: ["filesystem.writable-mounts"],
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
    clause: "/cache on a host path instead of an emptyDir or a claim",
    ids: ["filesystem.writable-mounts", "ssd.cache-on-local-ssd"],
    stack: { cannot: "the stack offers an emptyDir, its own claim or a node-local SSD claim for /cache; no host path" },
    chart: { cannot: "the chart renders /cache from an emptyDir, cache.existingClaim or the node-local SSD profile's claim; no value names a host path" },
    policy: {
      mutate: (o) => {
        const volumes: any[] = podSpec(o).volumes;
        volumes[volumes.findIndex((v) => v.name === "cache")] = { name: "cache", hostPath: { path: "/var/atlas-cache" } };
      },
      rule: /cache-volume/,
    },
  },
  {
    clause: "/cache on two volumes at once: its own claim and the node-local SSD",
    ids: ["ssd.cache-on-local-ssd"],
    stack: { stack: "prod", set: { "atlas:cache.existingClaim": "atlas-cache" }, key: "atlas:cache.existingClaim" },
    chart: { profile: "prod", values: { cache: { existingClaim: "atlas-cache" } }, error: /cache\.existingClaim must be empty while nodeLocalSsdProfile\.enabled/ },
    policy: { cannot: "the chart renders one /cache volume either way; in rendered objects the breach is a choice already made" },
  },
  {
    clause: "emptyDir limits are explicit for both cache and tmp volumes",
    ids: ["filesystem.emptydir-limits"],
    stack: { stack: "dev", set: { "atlas:cache.tmpSize": "0" }, key: "atlas:cache.tmpSize" },
    chart: { values: { cache: { tmpSize: "0" } }, error: /tmpSize/ },
    policy: { mutate: (o) => delete podSpec(o).volumes.find((v: any) => v.name === "tmp").emptyDir.sizeLimit, rule: /emptydir-size-limit/ },
  },
  {
    clause: "Node-local SSD profile: /tmp without a size limit",
    ids: ["ssd.tmp-bounded"],
    stack: { stack: "prod", set: { "atlas:cache.tmpSize": "0" }, key: "atlas:cache.tmpSize" },
    chart: { profile: "prod", values: { cache: { tmpSize: "0" } }, error: /tmpSize/ },
    policy: { profile: "prod", mutate: (o) => delete podSpec(o).volumes.find((v: any) => v.name === "tmp").emptyDir.sizeLimit, rule: /emptydir-size-limit/ },
  },
  {
    clause: "requests/limits include ephemeral-storage, aligned with the cache",
    ids: ["filesystem.ephemeral-storage"],
    stack: { stack: "dev", set: { "atlas:resources.limits.ephemeral-storage": "1Mi" }, key: "atlas:resources.limits.ephemeral-storage" },
    chart: { values: { resources: { limits: { "ephemeral-storage": "1Mi" } } }, error: /ephemeral-storage/ },
    policy: { mutate: (o) => delete server(o).resources.limits["ephemeral-storage"], rule: /resources/ },
  },
  {
    clause: "A Job's ephemeral-storage limit below its /tmp emptyDir",
    ids: ["filesystem.ephemeral-storage", "warmup-job.values"],
    stack: {
      stack: "dev",
      set: { "atlas:datasetWarmupJob.enabled": true, "atlas:datasetWarmupJob.resources.limits.ephemeral-storage": "1Mi" },
      key: "atlas:datasetWarmupJob.resources.limits.ephemeral-storage",
    },
    chart: { profile: "all-features", values: { datasetWarmupJob: { resources: { limits: { "ephemeral-storage": "1Mi" } } } }, error: /datasetWarmupJob\.resources\.limits\.ephemeral-storage/ },
    policy: {
      profile: "all-features",
      mutate: (o) => delete podTemplateOf(o.find((x) => x.kind === "Job")!)!.spec.containers[0].resources.limits["ephemeral-storage"],
      rule: /resources/,
    },
  },
  // Requests/Limits and Tuning
  {
    clause: "Default requests other than 500m CPU / 512Mi memory, limits other than 2000m CPU / 2Gi memory",
    ids: ["resources.default-requests", "resources.default-limits"],
    stack: { cannot: "they are defaults: every stack may tune them (the contract's own tuning guidance)" },
    chart: { cannot: "they are values.yaml's defaults, generated from config/chartValues.ts; any profile may tune them" },
    policy: { cannot: "any request and limit are compliant once set (atlas-resources); the defaults are not the pack's to hold" },
    checkedBy: [{ file: "test/unit/clauses.test.ts", test: "renders the contract's default requests and limits" }],
  },
  {
    clause: "Align cache.diskSize and cache.maxDiskBytes",
    ids: ["resources.align-cache"],
    stack: { stack: "dev", set: { "atlas:cache.maxDiskBytes": 4 * 2 ** 30 }, key: "atlas:cache.maxDiskBytes" },
    chart: { values: { cache: { maxDiskBytes: 16 * 2 ** 30 } }, error: /maxDiskBytes/ },
    policy: { cannot: "the cap is a ConfigMap value the server reads; the policy checks pod objects, and the API server accepts any number" },
  },
  {
    clause: "Requests within limits",
    ids: ["kubernetes.requests-within-limits"],
    stack: { stack: "dev", set: { "atlas:resources.requests.memory": "64Gi" }, key: "atlas:resources.requests.memory" },
    chart: { values: { resources: { requests: { memory: "64Gi" } } }, error: /memory|requests/ },
    policy: { cannot: "the API server itself refuses requests above limits" },
  },
  // Network Policy
  {
    clause: "No NetworkPolicy selects the atlas pods (egress not denied by default)",
    ids: ["network.deny-egress-default", "chart.networkpolicy"],
    stack: { cannot: "networkPolicy.enabled: false is allowed for clusters that enforce no NetworkPolicy; the policy pack refuses the render" },
    chart: { cannot: "networkPolicy.enabled: false is allowed for clusters that enforce no NetworkPolicy; the policy pack refuses the render" },
    policy: { mutate: (o) => drop(o, "NetworkPolicy"), rule: /egress/ },
  },
  {
    clause: "No broad egress permit: one CIDR wider than the contract's limit",
    ids: ["network.no-broad-egress"],
    stack: { stack: "dev", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "10.0.0.0/8", ports: [{ port: 443 }] }] }, key: "atlas:networkPolicy.egressCidrs[0].cidr" },
    chart: { values: { networkPolicy: { egressCidrs: [{ cidr: "10.0.0.0/8", ports: [{ port: 443 }] }] } }, error: /networkPolicy\.egressCidrs\.0\.cidr: Does not match pattern/ },
    policy: { mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 443, protocol: "TCP" }] }), rule: /egress/ },
  },
  {
    clause: "No broad egress permit: narrow CIDRs that together exceed the contract's limit",
    ids: ["network.no-broad-egress"],
    // Two /16s, the first still covering the dev store (172.18.0.1:9000), so coverage is the only breach.
    stack: {
      stack: "dev",
      set: { "atlas:networkPolicy.egressCidrs": ["172.18.0.0/16", "172.19.0.0/16"].map((cidr) => ({ cidr, ports: [{ port: 9000 }] })) },
      key: "atlas:networkPolicy.egressCidrs",
    },
    chart: { cannot: egressCoverage.chartCannot! },
    policy: { mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.21.0.0/16" } }], ports: [{ port: 443, protocol: "TCP" }] }), rule: /egress/ },
  },
  {
    clause: "Explicit egress CIDR allowlist: every CIDR with its ports",
    ids: ["network.egress-allowlist"],
    stack: { stack: "dev", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "172.18.0.1/32", ports: [] }] }, key: "atlas:networkPolicy.egressCidrs[0].ports" },
    chart: { values: { networkPolicy: { egressCidrs: [{ cidr: "10.20.0.0/16", ports: [] }] } }, error: /ports/ },
    policy: { mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.20.0.1/32" } }] }), rule: /egress/ },
  },
  {
    clause: "Explicit egress CIDR allowlist: a port range wider than the contract's widest explicit range",
    ids: ["network.egress-allowlist"],
    stack: { stack: "dev", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "172.18.0.1/32", ports: [{ port: 2, endPort: 65535 }] }] }, key: "atlas:networkPolicy.egressCidrs[0].ports[0].endPort" },
    chart: { values: { networkPolicy: { egressCidrs: [{ cidr: "10.20.0.1/32", ports: [{ port: 2, endPort: 65535 }] }] } }, error: /networkPolicy\.egressCidrs\.0\.ports\.0: Additional property endPort is not allowed/ },
    policy: { mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.20.0.1/32" } }], ports: [{ port: 2, endPort: 65535, protocol: "TCP" }] }), rule: /egress/ },
  },
  {
    clause: "A store URL and no egress rule at all",
    ids: ["network.egress-allowlist", "network.deny-egress-default"],
    stack: { stack: "dev", set: { "atlas:networkPolicy.egressCidrs": [] }, key: "atlas:networkPolicy.egressCidrs" },
    chart: { values: { networkPolicy: { egressCidrs: [] } }, error: /networkPolicy\.egressCidrs: add a CIDR rule covering store\.url/ },
    policy: { cannot: "no rule reads the store URL out of the ConfigMap; a store outside the egress shows as a pod that never becomes ready (server tier)" },
  },
  {
    clause: "The store URL's address outside every allowed CIDR",
    ids: ["network.egress-allowlist"],
    stack: { stack: "dev", set: { "atlas:store.url": "http://172.19.0.1:9000/atlas-dev/" }, key: "atlas:networkPolicy.egressCidrs" },
    chart: { cannot: "the templates can check only that an egress rule exists: Helm's template functions have no CIDR arithmetic, and JSON Schema cannot relate a URL to a list of CIDRs" },
    policy: { cannot: "no rule reads the store URL out of the ConfigMap; a store outside the egress shows as a pod that never becomes ready (server tier)" },
  },
  {
    clause: "Optional DNS egress to kube-system (and nowhere else)",
    ids: ["network.dns-kube-system"],
    stack: { cannot: "the DNS namespace and port come from the contract module; the stack only turns DNS on or off" },
    chart: { cannot: "the DNS rule is written from the contract module; values only turn it on or off" },
    policy: {
      mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ namespaceSelector: {} }], ports: [{ port: dns.port, protocol: "UDP" }] }),
      rule: /egress/,
    },
  },
  // Offline Deployment Profile
  {
    clause: "Offline: no external store access at runtime (cached-only allows no egress CIDR)",
    ids: ["offline.no-store-access", "offline.tight-network"],
    stack: { stack: "offline", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "10.20.0.0/16", ports: [{ port: 443 }] }] }, key: "atlas:networkPolicy.egressCidrs" },
    chart: { profile: "offline", values: { networkPolicy: { egressCidrs: [{ cidr: "10.20.0.0/16", ports: [{ port: 443 }] }] } }, error: /egressCidrs/ },
    policy: {
      profile: "offline",
      mutate: (o) => egressPolicy(o).spec.egress.push({ to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ port: 443, protocol: "TCP" }] }),
      rule: /egress/,
    },
  },
  {
    clause: "Offline profile without cached-only serving",
    ids: ["offline.cached-only"],
    stack: { stack: "offline", set: { "atlas:server.cachedOnlyMode": false }, key: "atlas:store.url" },
    chart: { profile: "offline", values: { server: { cachedOnlyMode: false } }, error: /store/ },
    policy: { cannot: "cached-only is a ConfigMap value the server reads; the server tier runs the offline pod with no store and no network" },
  },
  // Probe Semantics, readiness contract
  {
    clause: "startupProbe not on /readyz",
    ids: ["probes.startup"],
    stack: { cannot: "probe paths come from the contract module; the stack sets only timings" },
    chart: { cannot: "probe paths come from the contract module; values set only timings" },
    policy: { mutate: (o) => (server(o).startupProbe.httpGet.path = "/healthz"), rule: /probes/ },
  },
  {
    clause: "The startup probe's budget no longer than the warm-up jitter",
    ids: ["probes.startup", "ssd.warmup-jitter"],
    stack: { stack: "dev", set: { "atlas:cache.warmupJitterSeconds": 600 }, key: "atlas:server.startupProbe.failureThreshold" },
    chart: { values: { cache: { warmupJitterSeconds: 1800 } }, error: /periodSeconds x failureThreshold .* must exceed cache\.warmupJitterSeconds/ },
    policy: { cannot: "the jitter is a ConfigMap value; no rule relates ConfigMap values to probe budgets" },
    checkedBy: [{ file: "test/server/effectiveConfig.test.ts", test: "spreads start-ups by the chart's cache.warmupJitterSeconds" }],
  },
  {
    clause: "readinessProbe missing",
    ids: ["probes.readiness"],
    stack: { cannot: "probe paths come from the contract module; the stack sets only timings" },
    chart: { cannot: "probe paths come from the contract module; values set only timings" },
    policy: { mutate: (o) => delete server(o).readinessProbe, rule: /probes/ },
  },
  {
    clause: "livenessProbe not on /healthz",
    ids: ["probes.liveness"],
    stack: { cannot: "probe paths come from the contract module; the stack sets only timings" },
    chart: { cannot: "probe paths come from the contract module; values set only timings" },
    policy: { mutate: (o) => (server(o).livenessProbe.httpGet.path = "/readyz"), rule: /probes/ },
  },
  {
    clause: "Ready only when the catalog is reachable, unless cached-only mode is enabled",
    ids: ["readiness.catalog-reachable"],
    stack: { stack: "dev", set: { "atlas:store.url": "" }, key: "atlas:store.url" },
    chart: { values: { store: { url: "" } }, error: /store/ },
    policy: { cannot: "readiness is the server's behaviour under its env; the server tier runs the real server to check it" },
  },
  {
    clause: "Ready while the server loop is unhealthy",
    ids: ["readiness.loop-healthy"],
    stack: { cannot: "readiness is the server's own answer on /readyz; no key changes it" },
    chart: { cannot: "readiness is the server's own answer on /readyz; no value changes it" },
    policy: { cannot: "readiness is runtime behaviour; the server tier runs the real server" },
    checkedBy: [
      { file: "test/server/pods.test.ts", test: "on SIGTERM refuses new queries while draining, then exits 0 within the grace period" },
      { file: "test/server/pods.test.ts", test: "a pod whose store has no catalog stays not-ready, and the runner says why" },
    ],
  },
  {
    clause: "Graceful drain within the termination grace period",
    ids: ["server.drain-within-grace"],
    stack: { stack: "dev", set: { "atlas:server.shutdownDrainSeconds": 30 }, key: "atlas:server.shutdownDrainSeconds" },
    chart: { values: { server: { shutdownDrainSeconds: 30 } }, error: /shutdownDrainSeconds/ },
    policy: { cannot: "the drain is a ConfigMap value; the server tier checks it against terminationGracePeriodSeconds on the real server" },
  },
  // Init Prewarm
  {
    clause: "Init prewarm needs pinned datasets",
    ids: ["prewarm.values", "offline.optional-warmup"],
    stack: { stack: "dev", set: { "atlas:cache.initPrewarm.enabled": true, "atlas:cache.pinnedDatasets": [] }, key: "atlas:cache.pinnedDatasets" },
    chart: { values: { cache: { initPrewarm: { enabled: true }, pinnedDatasets: [] } }, error: /pinnedDatasets/ },
    policy: { cannot: "warm-up is server behaviour under its env, checked by the server tier" },
  },
  {
    clause: "Pinned dataset ids are the server's release/species/assembly",
    ids: ["server.dataset-ids"],
    stack: { stack: "dev", set: { "atlas:cache.pinnedDatasets": ["GRCh38/release-112"] }, key: "atlas:cache.pinnedDatasets[0]" },
    chart: { values: { cache: { pinnedDatasets: ["GRCh38/release-112"] } }, error: /pinnedDatasets/ },
    policy: { cannot: "dataset ids travel as one ConfigMap string; their grammar is checked where values are typed" },
  },
  {
    clause: "Pinned datasets not fetched before the pod serves",
    ids: ["prewarm.before-main"],
    stack: { cannot: "the prewarm is the server's own start-up warm-up (it warms up before it listens); no key can reorder it" },
    chart: { cannot: "the prewarm is the server's own start-up warm-up (it warms up before it listens); no value can reorder it" },
    policy: { cannot: "warm-up is server behaviour under its env" },
    checkedBy: [
      { file: workloads, test: "renders no init container (the server has no prewarm command; it warms up before it listens)" },
      { file: "test/server/effectiveConfig.test.ts", test: "warms up the chart's pinned datasets at start exactly when cache.initPrewarm.enabled" },
      { file: "test/server/initContainers.test.ts", test: "finished before the main container started" },
    ],
  },
  {
    clause: "Warm-up Job without pinned datasets or a store claim to smoke-test them in",
    ids: ["warmup-job.values", "warmup-job.smoke"],
    stack: { stack: "dev", set: { "atlas:datasetWarmupJob.enabled": true }, key: "atlas:store.existingClaim" },
    chart: { values: { datasetWarmupJob: { enabled: true } }, error: /required while datasetWarmupJob\.enabled is true/ },
    policy: { cannot: "whether a Job's smoke has datasets to test is in its arguments; no rule reads Job arguments" },
    checkedBy: [{ file: workloads, test: "the warm-up Job smoke-tests each pinned dataset in the mounted store" }],
  },
  // Config and Secret Wiring
  {
    clause: "Secret stores store credentials; the ConfigMap stores non-secret config",
    ids: ["config.secret-credentials", "config.configmap", "chart.configmap-secret"],
    stack: { stack: "dev", set: { "atlas:server.extraConfig.ATLAS_STORE_S3_BEARER": "x" }, key: "atlas:server.extraConfig.ATLAS_STORE_S3_BEARER" },
    chart: { values: { server: { extraConfig: { ATLAS_STORE_S3_BEARER: "x" } } }, error: /extraConfig|ATLAS_STORE_S3_BEARER/ },
    policy: { mutate: (o) => (server(o).env ??= []).push({ name: "ATLAS_STORE_S3_BEARER", value: "x" }), rule: /secret-env/ },
  },
  {
    clause: "The store's bearer token through a ConfigMap reference, or in values the chart would ignore",
    ids: ["config.secret-credentials"],
    stack: { stack: "dev", set: { "atlas:store.credentials": { bearerToken: "x", existingSecret: "atlas-store-credentials" } }, key: "atlas:store.credentials.existingSecret" },
    chart: { values: { store: { credentials: { create: false, bearerToken: "x" } } }, error: /bearerToken is set but store\.credentials\.create is false/ },
    policy: {
      mutate: (o) => (server(o).env ??= []).push({ name: env.storeBearer, valueFrom: { configMapKeyRef: { name: ofKind(o, "ConfigMap").metadata.name, key: env.storeBearer } } }),
      rule: /secret-env/,
    },
  },
  {
    clause: "Env names are the pinned server's (it refuses unknown ATLAS_ names at start)",
    ids: ["server.env-allowlist"],
    stack: { stack: "dev", set: { "atlas:server.extraConfig.ATLAS_CACHE_DIR": "/cache" }, key: "atlas:server.extraConfig.ATLAS_CACHE_DIR" },
    chart: { values: { server: { extraConfig: { ATLAS_CACHE_DIR: "/cache" } } }, error: /extraConfig|ATLAS_CACHE_DIR/ },
    policy: { cannot: "the server's allowlist is checked where values are typed; the server tier checks every rendered key against the crate's allowlist" },
  },
  {
    clause: "A sequence knob the server cannot take (a zero base limit)",
    ids: ["config.sequence-knobs"],
    stack: { stack: "dev", set: { "atlas:server.sequence.maxBases": 0 }, key: "atlas:server.sequence.maxBases" },
    chart: { values: { server: { sequence: { maxBases: 0 } } }, error: /server\.sequence\.maxBases/ },
    policy: { cannot: "the knobs are ConfigMap values; the policy pack checks pod objects" },
    checkedBy: [{ file: "test/chart/config.test.ts", test: "carries the five sequence knobs under the contract's names" }],
  },
  // HPA Strategy, chart surface
  {
    clause: "HPA without a CPU utilization target",
    ids: ["hpa.cpu"],
    stack: { cannot: hpaMetricsFixed },
    chart: { cannot: hpaMetricsFixed },
    policy: { mutate: withoutMetric((m) => m.type !== "Resource"), rule: /^atlas-hpa$/, level: "advisory" },
  },
  {
    clause: "HPA without the p95 latency metric",
    ids: ["hpa.latency-p95"],
    stack: { cannot: hpaMetricsFixed },
    chart: { cannot: hpaMetricsFixed },
    policy: { mutate: withoutMetric((m) => m.pods?.metric?.name !== latencyP95.name), rule: /^atlas-hpa$/, level: "advisory" },
  },
  {
    clause: "HPA without the in-flight heavy query metric",
    ids: ["hpa.inflight-heavy"],
    stack: { cannot: hpaMetricsFixed },
    chart: { cannot: hpaMetricsFixed },
    policy: { mutate: withoutMetric((m) => m.pods?.metric?.name !== inflightHeavy.name), rule: /^atlas-hpa$/, level: "advisory" },
  },
  {
    clause: "No HPA for the serving workload",
    ids: ["chart.hpa"],
    stack: { cannot: "hpa.enabled: false (a fixed replica count, e.g. where no metrics adapter runs) is allowed; the policy pack reports it" },
    chart: { cannot: "hpa.enabled: false (a fixed replica count, e.g. where no metrics adapter runs) is allowed; the policy pack reports it" },
    policy: { mutate: (o) => drop(o, "HorizontalPodAutoscaler"), rule: /^atlas-hpa$/, level: "advisory" },
  },
  {
    clause: "HPA on custom metrics with no metrics adapter",
    ids: ["hpa.metrics-adapter"],
    stack: { stack: "dev", set: { "atlas:metricsAdapter.mode": "disabled" }, key: "atlas:metricsAdapter.mode" },
    chart: { cannot: "the chart cannot know what the cluster has installed" },
    policy: { cannot: "the adapter is an add-on of the stack (prometheus-adapter), not an atlas object; no rule looks for it" },
  },
  {
    clause: "HPA: a floor no higher than its ceiling",
    ids: ["kubernetes.hpa-bounds"],
    stack: { stack: "dev", set: { "atlas:hpa.minReplicas": 5, "atlas:hpa.maxReplicas": 3 }, key: "atlas:hpa.minReplicas" },
    chart: { values: { hpa: { minReplicas: 5, maxReplicas: 3 } }, error: /minReplicas/ },
    policy: { cannot: "the API server itself refuses minReplicas above maxReplicas" },
  },
  {
    clause: "No PodDisruptionBudget for the serving pods",
    ids: ["chart.pdb"],
    stack: { cannot: "pdb.enabled: false is allowed (e.g. a single-replica dev stack); the policy pack reports it" },
    chart: { cannot: "pdb.enabled: false is allowed (e.g. a single-replica dev stack); the policy pack reports it" },
    policy: { mutate: (o) => drop(o, "PodDisruptionBudget"), rule: /^atlas-pdb$/, level: "advisory" },
  },
  {
    clause: "PDB minAvailable not below the replicas that may run",
    ids: ["kubernetes.pdb-leaves-room"],
    stack: { stack: "dev", set: { "atlas:pdb.minAvailable": 1 }, key: "atlas:pdb.minAvailable" },
    chart: { values: { pdb: { minAvailable: 2 } }, error: /pdb\.minAvailable \(2\) must be below/ },
    policy: { cannot: "no rule relates a PDB to the replica count; the API server accepts it" },
  },
  {
    clause: "ServiceMonitor without the Prometheus Operator",
    ids: ["chart.servicemonitor"],
    stack: { stack: "dev", set: { "atlas:monitoring.mode": "disabled" }, key: "atlas:monitoring.mode" },
    chart: { cannot: "the chart cannot know what the cluster has installed" },
    policy: { cannot: "the Prometheus Operator is an add-on of the stack, not an atlas object; no rule looks for it" },
    checkedBy: [{ file: workloads, test: "the ServiceMonitor scrapes /metrics on the http port" }],
  },
  {
    clause: "The serving workload, its Service or its ConfigMap missing from the render",
    ids: ["chart.deployment", "chart.service", "chart.configmap-secret"],
    stack: { cannot: "the stack always deploys the chart, which always renders them" },
    chart: { cannot: "the chart always renders them; no value turns them off" },
    policy: { cannot: "the policy pack checks what objects say, not that a release has every object" },
    checkedBy: [{ file: workloads, test: "renders the contract's objects" }],
  },
  // Canary Rollout
  {
    clause: "A canary Rollout with no steps",
    ids: ["chart.rollout", "rollout.optional", "rollout.steps-in-values"],
    stack: { stack: "dev", set: { "atlas:rollout.steps": [] }, key: "atlas:rollout.steps" },
    chart: { values: { rollout: { enabled: true, steps: [] } }, error: /rollout\.steps/ },
    policy: { cannot: "no rule checks a Rollout's strategy" },
    checkedBy: [{ file: workloads, test: "carries the canary steps from values" }],
  },
  {
    clause: "Canary only with the Argo Rollouts CRDs and controller installed",
    ids: ["rollout.requires-argo"],
    stack: { stack: "dev", set: { "atlas:argoRollouts.mode": "disabled" }, key: "atlas:argoRollouts.mode" },
    chart: { cannot: "the chart cannot know what the cluster has installed" },
    // all-features renders a Rollout and no Argo Rollouts CRD: the breach as rendered, no mutation needed.
    policy: { profile: "all-features", mutate: () => undefined, rule: /^atlas-rollout-crds$/, level: "advisory" },
  },
  // Catalog Publish Job Template
  {
    clause: "Catalog publish Job without a dataset to promote or a store claim to write",
    ids: ["chart.catalog-publish-job", "catalog-publish.template", "catalog-publish.controlled"],
    stack: { stack: "dev", set: { "atlas:catalogPublishJob.enabled": true }, key: "atlas:catalogPublishJob.dataset" },
    chart: { values: { catalogPublishJob: { enabled: true } }, error: /catalogPublishJob\.dataset .* is required while catalogPublishJob\.enabled/ },
    policy: { cannot: "what a Job promotes is in its arguments; no rule reads Job arguments" },
    checkedBy: [{ file: workloads, test: "the catalog publish Job promotes its dataset into the store claim, which it mounts writable" }],
  },
];

const skip = (layer: object): layer is { cannot: string } => "cannot" in layer;
const known = new Set(allClauses.map((c) => c.id));

describe("contract clauses, refused by every layer that can express them", () => {
  describe("the table", () => {
    it("has a row for every clause of contract/clauses.ts", () => {
      const covered = new Set(clauses.flatMap((c) => c.ids));
      assert.deepEqual(allClauses.map((c) => c.id).filter((id) => !covered.has(id as ClauseId)), []);
    });

    it("names only clauses contract/clauses.ts has", () => {
      assert.deepEqual(clauses.flatMap((c) => c.ids.filter((id) => !known.has(id)).map((id) => `${c.clause}: ${id}`)), []);
    });

    it("has a validator in at least one layer per row, or names the tests that hold the clause", () => {
      assert.deepEqual(clauses.filter((c) => [c.stack, c.chart, c.policy].every(skip) && !c.checkedBy?.length).map((c) => c.clause), []);
    });

    it("names tests that exist", () => {
      const missing = clauses.flatMap((c) =>
        (c.checkedBy ?? []).filter((t) => !fs.existsSync(path.join(repoRoot, t.file)) || !fs.readFileSync(path.join(repoRoot, t.file), "utf8").includes(t.test)).map((t) => `${c.clause}: ${t.file}: ${t.test}`),
      );
      assert.deepEqual(missing, []);
    });
  });

  describe("the chart's defaults", () => {
    it("renders the contract's default requests and limits", () => {
      const { requests, limits } = server(renderProfile("default")).resources;
      assert.deepEqual({ requests: [requests.cpu, requests.memory], limits: [limits.cpu, limits.memory] }, { requests: ["500m", "512Mi"], limits: ["2000m", "2Gi"] });
    });
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
        const { profile, mutate, rule, level = "mandatory" } = c.policy;
        it(`the policy pack reports it (${rule.source}, ${level})`, () => {
          const objects = renderProfile(profile ?? "default");
          mutate(objects);
          const findings = check(objects).filter((f) => f.enforcement === level && !f.exemptedBecause);
          assert.ok(findings.some((f) => rule.test(f.policy)), `no ${level} ${rule.source} finding among: ${findings.map((f) => f.policy).join(", ") || "none"}`);
        });
      }
    });
  }
});
