import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { helmPath } from "../../lib/helm";
import { profiles } from "../../lib/chartProfiles";
import { atlasChartDir } from "../../lib/paths";

describe("chart: helm lint", () => {
  for (const profile of profiles) {
    it(`lints cleanly with the ${profile.name} profile`, () => {
      const args = ["lint", atlasChartDir, "--strict", ...profile.valuesFiles.flatMap((f) => ["-f", path.join(atlasChartDir, f)])];
      const r = spawnSync(helmPath(), args, { encoding: "utf8" });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }
});
