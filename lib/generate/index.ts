/** Every generated file of the repository, by path: what `npm run generate` writes and the drift test compares. */
import * as path from "path";
import { atlasChartDir } from "../paths";
import { renderChartContractTemplate } from "./chartContract";
import { renderStackProfile, stackProfiles } from "./chartProfiles";
import { renderChartValuesJsonSchema } from "./chartSchema";
import { renderChartValuesYaml } from "./chartValuesYaml";

export function generatedFiles(): Record<string, () => string> {
  const files: Record<string, () => string> = {
    [path.join(atlasChartDir, "values.schema.json")]: renderChartValuesJsonSchema,
    [path.join(atlasChartDir, "values.yaml")]: renderChartValuesYaml,
    [path.join(atlasChartDir, "templates", "_contract.tpl")]: renderChartContractTemplate,
  };
  for (const p of stackProfiles) files[path.join(atlasChartDir, p.file)] = () => renderStackProfile(p.stack);
  return files;
}
