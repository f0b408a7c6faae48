import { strict as assert } from "assert";
import { validateStackConfig } from "../../config/load";
import { formatProblems } from "../../config/problems";
import { stackConfigSchema } from "../../config/schema";
import { stackNames } from "../../config/stackFile";
import { rawConfig } from "./fixtures";

describe("stack config: the shipped stack files", () => {
  it("ships the dev, offline and prod stacks", () => {
    assert.deepEqual(stackNames, ["dev", "offline", "prod"]);
  });

  for (const stack of stackNames) {
    it(`Pulumi.${stack}.yaml passes the schema and every cross-key rule`, () => {
      const { problems } = validateStackConfig(rawConfig(stack), () => true);
      assert.deepEqual(formatProblems(problems), []);
    });
  }

  it("fills every unset key from the schema's defaults", () => {
    const config = stackConfigSchema.parse({ image: { source: "pinned", ref: `r.example/a@sha256:${"0".repeat(64)}` } });
    assert.equal(config.cluster.target, "render");
    assert.deepEqual(config.release, { name: "atlas", namespace: "bijux-atlas" });
    assert.equal(config.server.port, 8080);
    assert.equal(config.cache.diskSize, "8Gi");
    assert.equal(config.monitoring.mode, "preinstalled");
    assert.equal(config.argoRollouts.mode, "disabled");
  });

  it("pins every add-on chart to an exact version by default", () => {
    const config = stackConfigSchema.parse({ image: { source: "pinned", ref: `r.example/a@sha256:${"0".repeat(64)}` } });
    for (const addon of [config.argoRollouts, config.monitoring, config.metricsAdapter]) {
      assert.equal(addon.chart.kind, "repository");
      assert.match((addon.chart as { version: string }).version, /^[0-9]+\.[0-9]+\.[0-9]+$/);
    }
  });

  it("keeps the configured mirror and the pinned version when only `oci` is set", () => {
    const config = stackConfigSchema.parse({
      image: { source: "pinned", ref: `r.example/a@sha256:${"0".repeat(64)}` },
      argoRollouts: { chart: { oci: "oci://mirror.internal/charts/argo-rollouts" } },
    });
    assert.deepEqual(config.argoRollouts.chart, { kind: "oci", url: "oci://mirror.internal/charts/argo-rollouts", version: "2.37.7" });
  });
});
