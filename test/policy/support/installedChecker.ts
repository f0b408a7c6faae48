/**
 * The checker as users run it: the installed bin (node_modules/.bin/atlas-policy), which loads the
 * compiled pack from policy/dist/. Suites that run it build the pack first when a source is newer
 * than the build, so they always test the current sources.
 */
import * as path from "path";
import { repoRoot } from "../../../lib/paths";
import { ensurePolicyBuilt } from "../../../lib/policyBuild";

export const checkerBin = path.join(repoRoot, "node_modules", ".bin", "atlas-policy");

/** Registers a `before` hook that builds the pack when it is not current. */
export function useInstalledChecker(): void {
  before(function () {
    this.timeout(300_000);
    ensurePolicyBuilt();
  });
}
