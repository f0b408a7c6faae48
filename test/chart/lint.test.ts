import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { helmPath } from "../../lib/helm";
import { chartDir, profiles } from "../support/chart";

describe("chart: helm lint", () => {
  for (const profile of profiles) {
    it(`lints cleanly with the ${profile.name} profile`, () => {
      const args = ["lint", chartDir, "--strict", ...profile.valuesFiles.flatMap((f) => ["-f", path.join(chartDir, f)])];
      const r = spawnSync(helmPath(), args, { encoding: "utf8" });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }
});
