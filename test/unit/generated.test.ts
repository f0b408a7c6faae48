import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { generatedFiles } from "../../lib/generate";
import { repoRoot } from "../../lib/paths";

describe("generated files", () => {
  const files = generatedFiles();

  for (const [file, render] of Object.entries(files)) {
    const name = path.relative(repoRoot, file);
    it(`${name} is what \`npm run generate\` writes from its sources`, () => {
      assert.ok(fs.existsSync(file), `${name} is missing: run npm run generate`);
      assert.equal(fs.readFileSync(file, "utf8"), render(), `${name} drifted from its source: run npm run generate and commit the result`);
    });
  }

  it("covers the chart's values schema, its values.yaml, the contract helper and one profile per stack", () => {
    const names = Object.keys(files).map((f) => path.relative(repoRoot, f)).sort();
    for (const expected of ["charts/bijux-atlas/values.schema.json", "charts/bijux-atlas/values.yaml", "charts/bijux-atlas/templates/_contract.tpl", "charts/bijux-atlas/values-offline.yaml"]) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(", ")}`);
    }
  });
});
