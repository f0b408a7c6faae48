import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { atlasChartDir } from "../../lib/paths";
import { atlasChartValues, atlasFullname, splitImageRef } from "../../components/release/values";
import { stackConfigSchema } from "../../config/schema";
import { parsedConfig } from "./fixtures";

const digest = `sha256:${"c".repeat(64)}`;
const image = { repository: "ghcr.io/bijux/bijux-atlas", tag: "", digest };
const monitoringNamespace = "monitoring";

/** Every leaf of `subset` equals the leaf at the same path of `whole`. */
function assertSubset(subset: unknown, whole: unknown, at = ""): void {
  if (subset !== null && typeof subset === "object" && !Array.isArray(subset)) {
    assert.ok(whole !== null && typeof whole === "object", `${at} is an object in the chart's values.yaml`);
    for (const [k, v] of Object.entries(subset)) assertSubset(v, (whole as Record<string, unknown>)[k], `${at}.${k}`);
  } else {
    assert.deepEqual(subset, whole, `${at} differs from the chart's default`);
  }
}

describe("atlas chart values", () => {
  describe("image references", () => {
    it("splits repository, tag and digest", () => {
      assert.deepEqual(splitImageRef(`registry.internal:5000/bijux/bijux-atlas:0.1.0@${digest}`), {
        repository: "registry.internal:5000/bijux/bijux-atlas",
        tag: "0.1.0",
        digest,
      });
    });

    it("leaves the tag empty when the reference has none", () => {
      assert.deepEqual(splitImageRef(`localhost:5001/bijux-atlas@${digest}`), { repository: "localhost:5001/bijux-atlas", tag: "", digest });
    });

    it("refuses a reference without a digest", () => {
      assert.throws(() => splitImageRef("ghcr.io/bijux/bijux-atlas:0.1.0"), /not pinned by digest/);
    });
  });

  it("names the Service as the chart's fullname template does", () => {
    assert.equal(atlasFullname("atlas"), "atlas-bijux-atlas");
    assert.equal(atlasFullname("bijux-atlas-eu"), "bijux-atlas-eu");
    assert.equal(atlasFullname("a".repeat(60)).length, 63);
  });

  it("equals the chart's own defaults for a config that sets nothing", () => {
    const config = stackConfigSchema.parse({ image: { source: "pinned", ref: `${image.repository}@${digest}` } });
    const { image: _image, ...values } = atlasChartValues(config, { image, monitoringNamespace });
    assertSubset(values, parse(fs.readFileSync(path.join(atlasChartDir, "values.yaml"), "utf8")));
  });

  it("pins the image by digest", () => {
    const values = atlasChartValues(parsedConfig("offline"), { image, monitoringNamespace });
    assert.deepEqual(values.image, { ...image, pullPolicy: "IfNotPresent" });
  });

  it("maps the offline profile: cached-only, prewarm of the pinned datasets, no store, DNS-only egress", () => {
    const values: any = atlasChartValues(parsedConfig("offline"), { image, monitoringNamespace });
    assert.equal(values.server.cachedOnlyMode, true);
    assert.equal(values.server.catalogUrl, "");
    assert.deepEqual(values.cache.initPrewarm, { enabled: true });
    assert.deepEqual(values.cache.pinnedDatasets, ["GRCh38/release-112", "GRCm39/release-112"]);
    assert.deepEqual(values.store, { endpoint: "", bucket: "", region: "", credentials: { create: false, existingSecret: "" } });
    assert.deepEqual(values.networkPolicy, { enabled: true, dns: { enabled: true }, egressCidrs: [], ingress: { monitoringNamespace } });
  });

  it("maps resources, HPA targets and concurrency caps as configured", () => {
    const values: any = atlasChartValues(parsedConfig("prod"), { image, monitoringNamespace });
    assert.deepEqual(values.resources, {
      requests: { cpu: "1", memory: "2Gi", "ephemeral-storage": "1Gi" },
      limits: { cpu: "4", memory: "8Gi", "ephemeral-storage": "4Gi" },
    });
    assert.deepEqual(values.hpa, { enabled: true, minReplicas: 3, maxReplicas: 12, cpuUtilization: 70, latencyP95Seconds: "500m", inflightHeavyQueries: "4" });
    assert.deepEqual(values.concurrency, { cheap: 256, medium: 64, heavy: 8 });
  });

  it("maps the egress allowlist with explicit protocols", () => {
    const values: any = atlasChartValues(parsedConfig("prod"), { image, monitoringNamespace });
    assert.deepEqual(values.networkPolicy.egressCidrs, [{ cidr: "10.40.0.0/16", ports: [{ port: 443, protocol: "TCP" }] }]);
  });

  it("turns the canary on as the chart's Rollout, with the configured steps", () => {
    const values: any = atlasChartValues(parsedConfig("dev"), { image, monitoringNamespace });
    assert.deepEqual(values.rollout, { enabled: true, steps: [{ setWeight: 50 }, { pause: { duration: "1m" } }] });
  });

  it("selects the SSD nodes by their label in the node-local SSD profile", () => {
    const values: any = atlasChartValues(parsedConfig("prod"), { image, monitoringNamespace });
    assert.deepEqual(values.nodeLocalSsdProfile, { enabled: true, storageClassName: "atlas-local-ssd", size: "200Gi", nodeSelector: { "bijux.io/local-ssd": "true" } });
  });

  it("references an existing Secret without creating one", () => {
    const values: any = atlasChartValues(parsedConfig("prod"), { image, monitoringNamespace });
    assert.deepEqual(values.store.credentials, { create: false, existingSecret: "atlas-store-credentials" });
  });

  it("has the chart create the Secret from the given credentials", () => {
    const credentials = { accessKey: "ak", secretKey: "sk" };
    const values: any = atlasChartValues(parsedConfig("offline"), { image, monitoringNamespace, credentials });
    assert.deepEqual(values.store.credentials, { create: true, accessKey: "ak", secretKey: "sk", existingSecret: "" });
  });
});
