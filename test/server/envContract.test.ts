/**
 * The chart's environment against the pinned server's env contract, read from the runtime crate
 * cargo downloaded: a server bump that renames or drops a key fails here.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { generatedAllowlistPath, readServerEnvContract, renderAllowlistModule, ServerEnvContract } from "../../lib/server/envContract";
import { serverEnvAllowlist } from "../../contract/serverEnvAllowlist.generated";
import { env, enforcedEnvPrefixes } from "../../contract/env";
import { objectsOf, planOf, podBearers, renders } from "./renders";
import { requireServerTier, scratchDir } from "./support";
import { describeObject } from "../../contract/k8s";

describe("server env contract (bijux-atlas-runtime resources/contracts/env.schema.json)", function () {
  let contract: ServerEnvContract;
  let claimDir: string;
  before(async function () {
    const tier = await requireServerTier(this);
    contract = await readServerEnvContract();
    claimDir = scratchDir(tier, "claims");
  });

  it("contract/serverEnvAllowlist.generated.ts is what the crate source generates", () => {
    assert.equal(fs.readFileSync(generatedAllowlistPath, "utf8"), renderAllowlistModule(contract), "regenerate with: npx ts-node --transpile-only scripts/generate-env-allowlist.ts");
  });

  it("enforces the prefixes contract/env.ts names", () => {
    assert.deepEqual([...contract.enforcedPrefixes].sort(), [...enforcedEnvPrefixes].sort());
  });

  it("allows every key contract/env.ts gives a meaning", () => {
    const unknown = Object.values(env).filter((k) => !contract.allowed.includes(k));
    assert.deepEqual(unknown, []);
  });

  for (const r of renders) {
    it(`allows every ATLAS_/BIJUX_ name a container of the ${r.name} ${r.source} render receives`, () => {
      const objects = objectsOf(r);
      const unknown: string[] = [];
      for (const obj of podBearers(objects)) {
        const plan = planOf(objects, obj, claimDir);
        for (const c of [...plan.init, ...plan.main]) {
          for (const name of Object.keys(c.env)) {
            if (contract.enforcedPrefixes.some((p) => name.startsWith(p)) && !serverEnvAllowlist.includes(name)) unknown.push(`${describeObject(obj)} ${c.name}: ${name}`);
          }
        }
      }
      assert.deepEqual(unknown, []);
    });
  }
});
