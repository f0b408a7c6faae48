/**
 * One pin (contract/server.ts) for the server the project builds, packages and deploys. The
 * Dockerfile's ATLAS_VERSION is checked against it in test/docker; here the chart and the
 * binaries the tier runs.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { atlasChartDir } from "../../lib/paths";
import { binaryVersion, cratesCacheDir } from "../../lib/toolchain/crates";
import { serverVersion } from "../../contract/server";
import { requireServerTier, ServerTier } from "./support";

describe("the server pin (contract/server.ts)", function () {
  let tier: ServerTier;
  before(async function () {
    tier = await requireServerTier(this);
  });

  it("is the chart's appVersion", () => {
    const chart = parse(fs.readFileSync(path.join(atlasChartDir, "Chart.yaml"), "utf8")) as { appVersion: string };
    assert.equal(String(chart.appVersion), serverVersion);
  });

  it("is the version the server binary reports", async () => {
    assert.equal(await binaryVersion("server", tier.binaries.server), serverVersion);
  });

  it("is the version the CLI binary reports", async () => {
    assert.equal(await binaryVersion("cli", tier.binaries.cli), serverVersion);
  });

  it("keys the crates cache directory", () => {
    assert.equal(path.basename(cratesCacheDir()), serverVersion);
  });
});
