import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { env } from "../../contract/env";
import { serverEnvAllowlist } from "../../contract/serverEnvAllowlist.generated";
import { atlasChartDir } from "../../lib/paths";

/** The rows of the README's contract mapping table, as [clause, values, pod] cells. */
function mappingRows(): string[][] {
  const text = fs.readFileSync(path.join(atlasChartDir, "README.md"), "utf8");
  const table = text.split("## How the contract maps onto the pinned server")[1] ?? "";
  return table
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| ---") && !line.startsWith("| Contract clause"))
    .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |\s\|$/g, "")));
}

/** ATLAS_* names in a cell that the text does not say are refused. */
function namesUsed(cell: string): string[] {
  return cell
    .split(/(?<=\.|;|:)\s/)
    .filter((sentence) => !/refused/.test(sentence))
    .flatMap((sentence) => sentence.match(/\bATLAS_[A-Z0-9_]*[A-Z0-9]\b/g) ?? []);
}

describe("chart README: the contract-to-server mapping table", () => {
  const rows = mappingRows();

  it("has a row per contract clause", () => {
    assert.ok(rows.length >= 20, `${rows.length} rows`);
    for (const row of rows) assert.equal(row.length, 3, row.join(" | "));
  });

  it("names only env keys the pinned server accepts in what the pod gets", () => {
    const unknown = rows.flatMap((row) => namesUsed(row[2])).filter((name) => !serverEnvAllowlist.includes(name));
    assert.deepEqual(unknown, []);
  });

  it("maps every env key the chart renders", () => {
    const documented = new Set(rows.flatMap((row) => row[2].match(/\bATLAS_[A-Z0-9_]+\b/g) ?? []));
    const missing = Object.values(env).filter((key) => !documented.has(key));
    assert.deepEqual(missing, []);
  });
});
