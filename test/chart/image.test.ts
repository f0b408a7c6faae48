import { strict as assert } from "assert";
import { refusedImageTags } from "../../contract/grammar";
import { helmTemplate } from "../support/chart";

const digest = `sha256:${"d".repeat(64)}`;

describe("chart: image reference (Container Image: no moving tag)", () => {
  for (const tag of refusedImageTags) {
    it(`values.schema.json refuses image.tag ${JSON.stringify(tag)}, even with a digest`, () => {
      const r = helmTemplate({ values: { image: { tag, digest } } });
      assert.notEqual(r.status, 0, "helm template accepted it");
      assert.match(r.stderr, /image\.tag/);
    });

    it(`the image template refuses image.tag ${JSON.stringify(tag)} where the schema is skipped, naming the tag`, () => {
      const r = helmTemplate({ values: { image: { tag, digest } }, skipSchemaValidation: true });
      assert.notEqual(r.status, 0, "helm template accepted it");
      assert.match(r.stderr, new RegExp(`image\\.tag: "${tag}" is a moving tag and not allowed`));
    });
  }

  it("renders repository:tag@digest for a release tag", () => {
    const r = helmTemplate({ values: { image: { repository: "registry.internal:5000/atlas", tag: "0.2.2", digest } }, skipSchemaValidation: true });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`image: "?registry\\.internal:5000/atlas:0\\.2\\.2@${digest}"?`));
  });
});
