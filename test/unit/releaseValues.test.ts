import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { atlasChartDir } from "../../lib/paths";
import { atlasChartValues, splitImageRef } from "../../components/release/values";
import { chartValuesSchema } from "../../config/chartValues";
import { stackChartSectionNames, stackConfigSchema } from "../../config/schema";
import { stackFileStackConfig } from "../../config/stackFile";
import { stackSectionValues } from "../../config/stackValues";

const digest = `sha256:${"c".repeat(64)}`;
const image = { repository: "ghcr.io/bijux/bijux-atlas", tag: "", digest };

describe("atlas chart values", () => {
  describe("image references", () => {
    it("splits repository, tag and digest", () => {
      assert.deepEqual(splitImageRef(`registry.internal:5000/bijux/bijux-atlas:0.2.2@${digest}`), {
        repository: "registry.internal:5000/bijux/bijux-atlas",
        tag: "0.2.2",
        digest,
      });
    });

    it("leaves the tag empty when the reference has none, even behind a registry port", () => {
      assert.deepEqual(splitImageRef(`localhost:5001/bijux-atlas@${digest}`), { repository: "localhost:5001/bijux-atlas", tag: "", digest });
    });

    it("refuses a reference without a digest", () => {
      assert.throws(() => splitImageRef("ghcr.io/bijux/bijux-atlas:0.2.2"), /not pinned by digest/);
    });
  });

  it("equals the chart's values.yaml for a stack that sets nothing (the image aside)", () => {
    const config = stackConfigSchema.parse({ image: { source: "pinned", ref: `${image.repository}@${digest}` } });
    const { image: _image, fullnameOverride: _fullname, ...values } = atlasChartValues(config, { image });
    const { image: _defaultImage, fullnameOverride: _name, ...defaults } = parse(fs.readFileSync(path.join(atlasChartDir, "values.yaml"), "utf8"));
    assert.deepEqual(values, defaults);
  });

  it("names the chart's objects after the release, as the Service the stack exports", () => {
    assert.equal(atlasChartValues(stackFileStackConfig("prod"), { image }).fullnameOverride, stackFileStackConfig("prod").release.name);
  });

  it("passes each chart section through unchanged: spreading, not renaming", () => {
    const config = stackFileStackConfig("prod");
    const values = atlasChartValues(config, { image });
    for (const name of stackChartSectionNames.filter((n) => !["store", "networkPolicy", "nodeLocalSsdProfile"].includes(n))) {
      assert.deepEqual(values[name], config[name], name);
    }
  });

  it("builds values the chart's own schema accepts, for every stack", () => {
    for (const stack of ["offline", "dev", "prod"]) {
      const r = chartValuesSchema.safeParse(atlasChartValues(stackFileStackConfig(stack), { image }));
      assert.ok(r.success, `${stack}: ${r.error?.message}`);
    }
  });

  it("pins the image by digest", () => {
    assert.deepEqual(atlasChartValues(stackFileStackConfig("offline"), { image }).image, { ...image, pullPolicy: "IfNotPresent" });
  });

  it("maps the offline stack: cached-only from the seeded cache claim, warm-up of the pinned datasets, no store, DNS-only egress", () => {
    const values: any = atlasChartValues(stackFileStackConfig("offline"), { image });
    assert.equal(values.server.cachedOnlyMode, true);
    assert.equal(values.cache.existingClaim, "atlas-cache");
    assert.deepEqual(values.cache.initPrewarm, { enabled: true });
    assert.deepEqual(values.cache.pinnedDatasets, ["112/homo_sapiens/GRCh38", "112/mus_musculus/GRCm39"]);
    assert.deepEqual(values.store, { url: "", existingClaim: "", allowPrivateHosts: false, credentials: { create: false, bearerToken: "", existingSecret: "" } });
    assert.deepEqual(values.networkPolicy, { enabled: true, dns: { enabled: true }, egressCidrs: [], ingress: { monitoringNamespace: "monitoring" } });
  });

  it("takes the scraping namespace of the NetworkPolicy from the monitoring add-on", () => {
    const values: any = atlasChartValues(stackFileStackConfig("prod", { "atlas:monitoring.namespace": "observability" }), { image });
    assert.deepEqual(values.networkPolicy.ingress, { monitoringNamespace: "observability" });
  });

  it("keeps the stack-only node-local SSD keys out of the chart values", () => {
    const values: any = atlasChartValues(stackFileStackConfig("prod"), { image });
    assert.deepEqual(values.nodeLocalSsdProfile, { enabled: true, storageClassName: "atlas-local-ssd", size: "200Gi", nodeLabel: "bijux.io/local-ssd" });
  });

  it("references an existing Secret without creating one", () => {
    const values: any = atlasChartValues(stackFileStackConfig("prod"), { image });
    assert.deepEqual(values.store.credentials, { create: false, bearerToken: "", existingSecret: "atlas-store-credentials" });
  });

  it("has the chart create the Secret from the given bearer token", () => {
    const values: any = atlasChartValues(stackFileStackConfig("dev"), { image, bearerToken: "tok" });
    assert.deepEqual(values.store.credentials, { create: true, bearerToken: "tok", existingSecret: "" });
  });
});

describe("stack keys the chart takes (config/stackValues.ts), from a stack file's raw keys as the chart profiles read them", () => {
  it("gives image.pullSecrets as imagePullSecrets", () => {
    assert.deepEqual(stackSectionValues({ image: { source: "pinned", pullSecrets: ["regcred"] } }), { imagePullSecrets: ["regcred"] });
  });

  it("gives monitoring.namespace as the NetworkPolicy's scrape namespace, beside the stack's own networkPolicy keys", () => {
    const egressCidrs = [{ cidr: "10.40.0.0/16", ports: [{ port: 443 }] }];
    assert.deepEqual(stackSectionValues({ monitoring: { mode: "preinstalled", namespace: "observability" }, networkPolicy: { egressCidrs } }), {
      networkPolicy: { egressCidrs, ingress: { monitoringNamespace: "observability" } },
    });
  });

  it("gives release.name as fullnameOverride", () => {
    assert.deepEqual(stackSectionValues({ release: { name: "atlas-eu" } }), { fullnameOverride: "atlas-eu" });
  });

  it("leaves the stack-only node-local SSD keys out", () => {
    assert.deepEqual(stackSectionValues({ nodeLocalSsdProfile: { enabled: true, size: "10Gi", provision: "stack", volumes: [] } }), { nodeLocalSsdProfile: { enabled: true, size: "10Gi" } });
  });

  it("gives nothing for what the stack does not set", () => {
    assert.deepEqual(stackSectionValues({ cluster: { target: "render" }, image: { source: "build" }, monitoring: { mode: "install" } }), {});
  });
});
