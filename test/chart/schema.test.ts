import { strict as assert } from "assert";
import { helmTemplate } from "../support/chart";

/** Each case: one mutation of the default values, and the key helm's schema error must name. */
const badValues: { why: string; values: Record<string, unknown>; key: RegExp }[] = [
  { why: "an unknown top-level key", values: { replicaCount: 3 }, key: /Additional property replicaCount is not allowed/ },
  { why: "an unknown nested key", values: { server: { replica: 3 } }, key: /server: Additional property replica is not allowed/ },
  { why: "image tag latest", values: { image: { tag: "latest" } }, key: /image\.tag/ },
  { why: "a malformed digest", values: { image: { digest: "sha256:abc" } }, key: /image\.digest/ },
  { why: "zero replicas", values: { server: { replicas: 0 } }, key: /server\.replicas/ },
  { why: "negative HPA maxReplicas", values: { hpa: { maxReplicas: -1 } }, key: /hpa\.maxReplicas/ },
  { why: "zero HPA minReplicas", values: { hpa: { minReplicas: 0 } }, key: /hpa\.minReplicas/ },
  { why: "a zero cache disk size", values: { cache: { diskSize: "0Gi" } }, key: /cache\.diskSize/ },
  { why: "a negative tmp size", values: { cache: { tmpSize: "-1Gi" } }, key: /cache\.tmpSize/ },
  { why: "a non-quantity cache size", values: { cache: { diskSize: "eight gigs" } }, key: /cache\.diskSize/ },
  { why: "zero maxDiskBytes", values: { cache: { maxDiskBytes: 0 } }, key: /cache\.maxDiskBytes/ },
  { why: "a zero memory limit", values: { resources: { limits: { memory: "0" } } }, key: /resources\.limits\.memory/ },
  { why: "a missing ephemeral-storage request", values: { resources: { requests: { "ephemeral-storage": null } } }, key: /resources\.requests/ },
  { why: "zero concurrency cap", values: { concurrency: { heavy: 0 } }, key: /concurrency\.heavy/ },
  { why: "egress to 0.0.0.0/0", values: { networkPolicy: { egressCidrs: [{ cidr: "0.0.0.0/0", ports: [{ port: 443 }] }] } }, key: /networkPolicy\.egressCidrs\.0\.cidr/ },
  { why: "egress to ::/0", values: { networkPolicy: { egressCidrs: [{ cidr: "::/0", ports: [{ port: 443 }] }] } }, key: /networkPolicy\.egressCidrs\.0\.cidr/ },
  { why: "a malformed CIDR", values: { networkPolicy: { egressCidrs: [{ cidr: "10.0.0.300/8", ports: [{ port: 443 }] }] } }, key: /networkPolicy\.egressCidrs\.0\.cidr/ },
  { why: "a CIDR without prefix", values: { networkPolicy: { egressCidrs: [{ cidr: "10.0.0.1", ports: [{ port: 443 }] }] } }, key: /networkPolicy\.egressCidrs\.0\.cidr/ },
  { why: "an IPv4 egress CIDR wider than a /16", values: { networkPolicy: { egressCidrs: [{ cidr: "10.0.0.0/15", ports: [{ port: 443 }] }] } }, key: /networkPolicy\.egressCidrs\.0\.cidr/ },
  { why: "an IPv6 egress CIDR wider than a /48", values: { networkPolicy: { egressCidrs: [{ cidr: "2001:db8::/47", ports: [{ port: 443 }] }] } }, key: /networkPolicy\.egressCidrs\.0\.cidr/ },
  { why: "an egress CIDR without ports", values: { networkPolicy: { egressCidrs: [{ cidr: "10.20.0.0/16", ports: [] }] } }, key: /networkPolicy\.egressCidrs\.0\.ports/ },
  { why: "prewarm on with no pinned datasets", values: { cache: { initPrewarm: { enabled: true }, pinnedDatasets: [] } }, key: /cache\.pinnedDatasets/ },
  { why: "a non-ATLAS extraConfig key", values: { server: { extraConfig: { FOO: "1" } } }, key: /server\.extraConfig/ },
  { why: "an extraConfig key the server does not know", values: { server: { extraConfig: { ATLAS_CONCURRENCY_HEAVY: "4" } } }, key: /server\.extraConfig/ },
  { why: "a dataset id not in release/species/assembly form", values: { cache: { pinnedDatasets: ["GRCh38/release-112"] } }, key: /cache\.pinnedDatasets\.0/ },
  { why: "a dataset id with an upper-case species", values: { cache: { pinnedDatasets: ["112/Homo_sapiens/GRCh38"] } }, key: /cache\.pinnedDatasets\.0/ },
  { why: "cached-only mode with an egress CIDR", values: { server: { cachedOnlyMode: true } }, key: /networkPolicy\.egressCidrs: Array must have at most 0 items/ },
  { why: "a store URL that is not http(s)", values: { store: { url: "s3://bucket/atlas" } }, key: /store\.url/ },
  { why: "a port below 1024", values: { server: { port: 80 } }, key: /server\.port/ },
  { why: "an unknown log level", values: { server: { logLevel: "verbose" } }, key: /server\.logLevel/ },
  { why: "a port out of range", values: { server: { port: 70000 } }, key: /server\.port/ },
  { why: "an empty canary step list", values: { rollout: { enabled: true, steps: [] } }, key: /rollout\.steps/ },
  { why: "a CPU target above 100%", values: { hpa: { cpuUtilization: 150 } }, key: /hpa\.cpuUtilization/ },
];

describe("chart: values.schema.json refuses bad values, naming the key", () => {
  for (const c of badValues) {
    it(`refuses ${c.why}`, () => {
      const r = helmTemplate({ values: c.values });
      assert.notEqual(r.status, 0, "helm template accepted it");
      assert.match(r.stderr, /values don't meet the specifications of the schema/);
      assert.match(r.stderr, c.key);
    });
  }

  it("accepts the default profile", () => assert.equal(helmTemplate().status, 0));

  it("accepts egress CIDRs at the broad-egress limit: an IPv4 /16 and an IPv6 /48", () => {
    const r = helmTemplate({ values: { networkPolicy: { egressCidrs: ["10.20.0.0/16", "2001:db8:1::/48"].map((cidr) => ({ cidr, ports: [{ port: 443 }] })) } } });
    assert.equal(r.status, 0, r.stderr);
  });
});
