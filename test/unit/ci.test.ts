import { strict as assert } from "assert";
import { underCi } from "../support/ci";

describe("test tiers: what counts as CI (a tier that cannot run fails there instead of skipping)", () => {
  for (const value of ["true", "1", "TRUE", "yes", "github-actions"]) it(`counts CI=${value} as CI`, () => assert.equal(underCi({ CI: value }), true));
  for (const value of ["", "0", "false", "False", " false "]) it(`counts CI=${JSON.stringify(value)} as a developer's machine`, () => assert.equal(underCi({ CI: value }), false));
  it("counts CI unset as a developer's machine", () => assert.equal(underCi({}), false));
});
