/**
 * Writes the generated files (the chart's values schema, values.yaml, contract helper and stack
 * profiles) from their sources; `--check` only reports drift and exits 1 when there is any.
 *
 *   npm run generate
 *   npm run generate -- --check
 */
import * as fs from "fs";
import * as path from "path";
import { generatedFiles } from "../lib/generate";
import { repoRoot } from "../lib/paths";

const check = process.argv.includes("--check");
let drift = 0;
for (const [file, render] of Object.entries(generatedFiles())) {
  const content = render();
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
  if (current === content) continue;
  drift++;
  if (check) process.stderr.write(`out of date: ${path.relative(repoRoot, file)}\n`);
  else {
    fs.writeFileSync(file, content);
    process.stderr.write(`wrote ${path.relative(repoRoot, file)}\n`);
  }
}
if (check && drift) {
  process.stderr.write("run `npm run generate` and commit the result\n");
  process.exitCode = 1;
}
