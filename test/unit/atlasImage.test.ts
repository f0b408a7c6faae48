import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { AtlasImage } from "../../components/image";
import { serverVersion } from "../../contract/server";
import { dockerfilePath } from "../../lib/paths";
import type { ImageConfig } from "../../config/schema";
import { imageSchema } from "../../config/schema";
import { named, ofType, runProgram, StackRun } from "../support/stack";
import { StandIn, testImageRef } from "./fixtures";

/** Declares an AtlasImage (plus a stand-in registry resource) and returns the run and its ref. */
async function imageRun(image: Record<string, unknown>, withRegistry: boolean): Promise<{ run: StackRun; ref: string }> {
  const config = imageSchema.parse(image) as ImageConfig;
  let ref = "";
  const run = await runProgram(() => {
    const registry = withRegistry ? { host: "localhost:5001", ready: [new StandIn("registry")] } : undefined;
    new AtlasImage("image", { image: config, registry }).ref.apply((r) => (ref = r));
  });
  return { run, ref };
}

const build = { source: "build", buildArgs: { CARGO_PROFILE: "release" }, cacheFrom: ["ghcr.io/bijux/bijux-atlas:cache"] };

describe("AtlasImage", () => {
  describe("pinned", () => {
    it("builds nothing", async () => {
      const { run } = await imageRun({ source: "pinned", ref: testImageRef }, false);
      assert.equal(named(run, "image").type, "bijux:atlas:AtlasImage");
      assert.equal(run.resources.filter((r) => r.parent === named(run, "image").urn).length, 0);
    });

    it("passes the given digest reference through", async () => {
      const { ref } = await imageRun({ source: "pinned", ref: testImageRef }, false);
      assert.equal(ref, testImageRef);
    });
  });

  describe("build", () => {
    it("builds docker/Dockerfile from the pinned crates, with platform, build args, the pinned ATLAS_VERSION and cache", async () => {
      const { run } = await imageRun(build, true);
      const image = named(run, "image-build");
      assert.equal(image.type, "docker:index/image:Image");
      assert.equal(image.parent, named(run, "image").urn);
      assert.deepEqual(image.inputs.build, {
        context: path.dirname(dockerfilePath),
        dockerfile: dockerfilePath,
        platform: "linux/amd64",
        args: { CARGO_PROFILE: "release", ATLAS_VERSION: serverVersion },
        cacheFrom: { images: ["ghcr.io/bijux/bijux-atlas:cache"] },
      });
      assert.ok(fs.existsSync(dockerfilePath), "docker/Dockerfile is part of the project");
    });

    it("pushes to the cluster's registry, once that registry exists", async () => {
      const { run } = await imageRun(build, true);
      const image = named(run, "image-build");
      assert.equal(image.inputs.imageName, "localhost:5001/bijux-atlas:dev");
      assert.ok(image.dependencies.includes(named(run, "registry").urn));
    });

    it("pushes to the configured repository instead when one is given", async () => {
      const { run } = await imageRun({ ...build, repository: "ghcr.io/bijux/bijux-atlas", tag: "pr-42" }, true);
      const image = named(run, "image-build");
      assert.equal(image.inputs.imageName, "ghcr.io/bijux/bijux-atlas:pr-42");
      assert.deepEqual(image.dependencies, []);
    });

    it("outputs the pushed manifest's repository digest, not a tag", async () => {
      const { run, ref } = await imageRun(build, true);
      assert.equal(ofType(run, "docker:index/image:Image").length, 1);
      assert.match(ref, /^localhost:5001\/bijux-atlas@sha256:[a-f0-9]{64}$/);
    });

    it("refuses a build with neither a repository nor a cluster registry", async () => {
      await assert.rejects(imageRun(build, false), /needs atlas:image\.repository/);
    });
  });
});
