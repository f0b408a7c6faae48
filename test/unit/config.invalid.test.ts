import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { DeclaredResource, RunOptions, runStack } from "../support/stack";

/** Runs the offline stack (the compliant baseline) with a mutation; returns the failure. */
async function failure(opts: RunOptions): Promise<Error & { declared: DeclaredResource[] }> {
  try {
    await runStack("offline", opts);
  } catch (err) {
    return err as Error & { declared: DeclaredResource[] };
  }
  assert.fail("the program accepted the mutated config");
}

/** One mutation of the offline stack's config, and the key the error must name. */
const invalidConfigs: { name: string; set: Record<string, unknown>; key: string }[] = [
  { name: "an unknown cluster target", set: { "atlas:cluster.target": "minikube" }, key: "atlas:cluster.target" },
  { name: "a kubeconfig-only key on the render target", set: { "atlas:cluster.context": "prod" }, key: "atlas:cluster.context" },
  { name: "an image pinned by tag only", set: { "atlas:image.ref": "ghcr.io/bijux/bijux-atlas:0.1.0" }, key: "atlas:image.ref" },
  { name: "an image pinned by digest under the latest tag", set: { "atlas:image.ref": `ghcr.io/bijux/bijux-atlas:latest@sha256:${"a".repeat(64)}` }, key: "atlas:image.ref" },
  { name: "an unknown image source", set: { "atlas:image.source": "registry" }, key: "atlas:image.source" },
  { name: "a misspelt top-level key", set: { "atlas:replica": 3 }, key: "atlas:replica" },
  { name: "a privileged port for a non-root server", set: { "atlas:server.port": 80 }, key: "atlas:server.port" },
  { name: "an unknown log level", set: { "atlas:server.logLevel": "verbose" }, key: "atlas:server.logLevel" },
  { name: "no store outside cached-only mode", set: { "atlas:server.cachedOnlyMode": false }, key: "atlas:store.url" },
  { name: "a store credential in the ConfigMap", set: { "atlas:server.extraConfig.ATLAS_STORE_S3_BEARER": "x" }, key: "atlas:server.extraConfig.ATLAS_STORE_S3_BEARER" },
  { name: "an env key the server does not know", set: { "atlas:server.extraConfig.ATLAS_CACHE_DIR": "/cache" }, key: "atlas:server.extraConfig.ATLAS_CACHE_DIR" },
  { name: "a store URL carrying a token", set: { "atlas:server.cachedOnlyMode": false, "atlas:store.url": "https://store.internal/atlas/?token=abc" }, key: "atlas:store.url" },
  { name: "a dataset id not in release/species/assembly form", set: { "atlas:cache.pinnedDatasets": ["GRCh38/release-112"] }, key: "atlas:cache.pinnedDatasets[0]" },
  { name: "an egress CIDR in cached-only mode", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "10.20.0.0/16", ports: [{ port: 443 }] }] }, key: "atlas:networkPolicy.egressCidrs" },
  { name: "a drain as long as the grace period", set: { "atlas:server.shutdownDrainSeconds": 30 }, key: "atlas:server.shutdownDrainSeconds" },
  { name: "a malformed cache size", set: { "atlas:cache.diskSize": "8 GB" }, key: "atlas:cache.diskSize" },
  { name: "a cache cap above the cache volume", set: { "atlas:cache.existingClaim": "", "atlas:cache.maxDiskBytes": 9 * 2 ** 30 }, key: "atlas:cache.maxDiskBytes" },
  { name: "prewarm without pinned datasets", set: { "atlas:cache.pinnedDatasets": [] }, key: "atlas:cache.pinnedDatasets" },
  { name: "a cache larger than the ephemeral-storage limit", set: { "atlas:cache.existingClaim": "", "atlas:resources.limits.ephemeral-storage": "4Gi" }, key: "atlas:resources.limits.ephemeral-storage" },
  { name: "requests above limits", set: { "atlas:resources.requests.memory": "4Gi" }, key: "atlas:resources.requests.memory" },
  { name: "broad egress", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "0.0.0.0/0", ports: [{ port: 443 }] }] }, key: "atlas:networkPolicy.egressCidrs[0].cidr" },
  { name: "an IPv4 egress CIDR wider than a /16", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "10.0.0.0/15", ports: [{ port: 443 }] }] }, key: "atlas:networkPolicy.egressCidrs[0].cidr" },
  { name: "an IPv6 egress CIDR wider than a /48", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "2001:db8::/47", ports: [{ port: 443 }] }] }, key: "atlas:networkPolicy.egressCidrs[0].cidr" },
  { name: "an egress CIDR without ports", set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "10.20.0.0/16", ports: [] }] }, key: "atlas:networkPolicy.egressCidrs[0].ports" },
  { name: "an HPA floor above its ceiling", set: { "atlas:hpa.minReplicas": 5, "atlas:hpa.maxReplicas": 3 }, key: "atlas:hpa.minReplicas" },
  { name: "a latency target that is not a quantity", set: { "atlas:hpa.latencyP95Seconds": "fast" }, key: "atlas:hpa.latencyP95Seconds" },
  { name: "a PDB that blocks every drain", set: { "atlas:pdb.minAvailable": 2 }, key: "atlas:pdb.minAvailable" },
  { name: "a canary without Argo Rollouts", set: { "atlas:rollout.enabled": true, "atlas:argoRollouts.mode": "disabled" }, key: "atlas:argoRollouts.mode" },
  { name: "an HPA without the metrics adapter", set: { "atlas:metricsAdapter.mode": "disabled" }, key: "atlas:metricsAdapter.mode" },
  { name: "an unknown add-on mode", set: { "atlas:monitoring.mode": "external" }, key: "atlas:monitoring.mode" },
  { name: "two chart sources at once", set: { "atlas:monitoring.chart.path": "vendor/kube-prometheus-stack" }, key: "atlas:monitoring.chart.path" },
  { name: "a chart version range", set: { "atlas:argoRollouts.chart.version": "^2.37.0" }, key: "atlas:argoRollouts.chart.version" },
  { name: "a namespace that is not a DNS label", set: { "atlas:release.namespace": "Bijux_Atlas" }, key: "atlas:release.namespace" },
  { name: "an existing Secret name that is not a DNS label", set: { "atlas:store.credentials.existingSecret": "Store Keys" }, key: "atlas:store.credentials.existingSecret" },
  { name: "node-local SSD without volumes on a non-kind target", set: { "atlas:cache.existingClaim": "", "atlas:nodeLocalSsdProfile.enabled": true }, key: "atlas:nodeLocalSsdProfile.volumes" },
  {
    name: "the same SSD volume listed twice",
    set: {
      "atlas:cache.existingClaim": "",
      "atlas:nodeLocalSsdProfile": { enabled: true, size: "10Gi", volumes: [1, 2, 3, 4].map(() => ({ node: "n1", path: "/mnt/ssd0", capacity: "20Gi" })) },
    },
    key: "atlas:nodeLocalSsdProfile.volumes[1]",
  },
  { name: "an image build with nowhere to push", set: { "atlas:image": { source: "build" } }, key: "atlas:image.repository" },
];

describe("stack config: invalid configs", () => {
  it("covers at least 15 distinct bad keys", () => {
    assert.ok(new Set(invalidConfigs.map((c) => c.key)).size >= 15);
  });

  for (const { name, set, key } of invalidConfigs) {
    it(`refuses ${name}, naming ${key}`, async () => {
      const err = await failure({ set });
      assert.match(err.message, new RegExp(`^  - ${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: received .+; allowed: .+$`, "m"));
    });
  }

  it("lists every bad key in one message, not only the first", async () => {
    const err = await failure({ set: { "atlas:server.port": 80, "atlas:cache.diskSize": "lots", "atlas:cluster.target": "minikube" } });
    assert.match(err.message, /3 problems/);
    for (const key of ["atlas:server.port", "atlas:cache.diskSize", "atlas:cluster.target"]) assert.ok(err.message.includes(`  - ${key}: `), key);
  });

  it("shows the received value and what is allowed", async () => {
    const err = await failure({ set: { "atlas:cluster.target": "minikube" } });
    assert.ok(err.message.includes('atlas:cluster.target: received "minikube"; allowed: target one of "render", "kubeconfig", "kind"'), err.message);
  });

  it("names the broad-egress limit when one CIDR is wider", async () => {
    const err = await failure({ set: { "atlas:networkPolicy.egressCidrs": [{ cidr: "10.0.0.0/8", ports: [{ port: 443 }] }] } });
    assert.match(err.message, /^  - atlas:networkPolicy\.egressCidrs\[0\]\.cidr: received "10\.0\.0\.0\/8"; allowed: an IPv4 or IPv6 CIDR with a prefix of IPv4 \/16 to \/32, IPv6 \/48 to \/128/m);
  });

  it("refuses narrow CIDRs that together cover more than one IPv4 /16, naming the limit and the total", async () => {
    // Out of cached-only mode, with the store inside the first CIDR: coverage is the only breach.
    const set = {
      "atlas:server.cachedOnlyMode": false,
      "atlas:store.url": "https://10.20.0.5/atlas/",
      "atlas:networkPolicy.egressCidrs": ["10.20.0.0/16", "10.21.0.0/17", "10.21.128.0/24"].map((cidr) => ({ cidr, ports: [{ port: 443 }] })),
    };
    const err = await failure({ set });
    assert.match(err.message, /1 problem/);
    assert.match(err.message, /^  - atlas:networkPolicy\.egressCidrs: received .+; allowed: CIDRs that together cover at most one IPv4 \/16 and one IPv6 \/48 of addresses .+; these cover 98560 IPv4 addresses, more than 2\^16 \(one IPv4 \/16\)$/m);
  });

  it("counts overlapping CIDRs once: a /16 and a /24 inside it pass", async () => {
    const set = {
      "atlas:server.cachedOnlyMode": false,
      "atlas:store.url": "https://10.20.0.5/atlas/",
      "atlas:networkPolicy.egressCidrs": ["10.20.0.0/16", "10.20.7.0/24"].map((cidr) => ({ cidr, ports: [{ port: 443 }] })),
    };
    await runStack("offline", { set });
  });

  it("fails as a RunError, which Pulumi prints without a stack trace", async () => {
    const err = await failure({ set: { "atlas:server.port": 80 } });
    assert.ok(pulumi.RunError.isInstance(err));
  });

  it("declares nothing but the stack itself before validating", async () => {
    const err = await failure({ set: { "atlas:server.port": 80 } });
    assert.deepEqual(
      err.declared.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type),
      [],
    );
  });

  it("refuses a store token set in plain text", async () => {
    const err = await failure({ set: { "atlas:store.credentials": { bearerToken: "plain-secret-value" } } });
    assert.match(err.message, /atlas:store\.credentials\.bearerToken: received "\[secret\]"; allowed: a secret: set it with `pulumi config set --secret --path atlas:store\.credentials\.bearerToken <value>`/);
  });

  it("never echoes a credential in the error", async () => {
    const err = await failure({ set: { "atlas:store.credentials": { bearerToken: "plain-secret-value", bogus: 1 } } });
    assert.ok(!err.message.includes("plain-secret-value"), err.message);
  });

  it("refuses a store token without a store URL, naming atlas:store.credentials", async () => {
    const err = await failure({ secrets: { "atlas:store.credentials.bearerToken": "synthetic-token" } });
    assert.match(err.message, /^  - atlas:store\.credentials: received .+; allowed: no credentials without store\.url/m);
    assert.ok(!err.message.includes("synthetic-token"), err.message);
  });

  it("refuses a store token together with an existing Secret, naming atlas:store.credentials.existingSecret", async () => {
    const err = await failure({ set: { "atlas:store.credentials.existingSecret": "atlas-store" }, secrets: { "atlas:store.credentials.bearerToken": "synthetic-token" } });
    assert.match(err.message, /^  - atlas:store\.credentials\.existingSecret: received "atlas-store"; allowed: "" while bearerToken is set/m);
  });
});
