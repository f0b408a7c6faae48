import { strict as assert } from "assert";
import { refusedImageTags } from "../../contract/grammar";
import { isRefusedTag, parseImageReference } from "../../contract/image";

const digest = `sha256:${"e".repeat(64)}`;

describe("contract: image references (repository[:tag][@digest])", () => {
  it("splits repository, tag and digest", () => {
    assert.deepEqual(parseImageReference(`ghcr.io/bijux/bijux-atlas:0.2.2@${digest}`), { repository: "ghcr.io/bijux/bijux-atlas", tag: "0.2.2", digest });
  });

  it("reads a registry port as part of the repository, not as a tag", () => {
    assert.deepEqual(parseImageReference(`localhost:5001/bijux-atlas@${digest}`), { repository: "localhost:5001/bijux-atlas", digest });
  });

  it("reads the tag behind a registry port", () => {
    assert.deepEqual(parseImageReference("registry.internal:5000/atlas:dev"), { repository: "registry.internal:5000/atlas", tag: "dev" });
  });

  it("leaves tag and digest absent for a bare name", () => {
    assert.deepEqual(parseImageReference("busybox"), { repository: "busybox" });
  });

  it("keeps an empty tag as given, so a trailing colon is not read as no tag", () => {
    assert.deepEqual(parseImageReference("busybox:"), { repository: "busybox", tag: "" });
  });

  it("refuses every tag the contract lists as moving", () => {
    assert.deepEqual(refusedImageTags.filter((tag) => !isRefusedTag(tag)), []);
  });

  it("admits a release tag and a reference without a tag", () => {
    assert.deepEqual([isRefusedTag("0.2.2"), isRefusedTag(undefined)], [false, false]);
  });
});
