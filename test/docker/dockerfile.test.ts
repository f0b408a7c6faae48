import { strict as assert } from "assert";
import { Copy, DockerfileParser, Instruction } from "dockerfile-ast";
import * as fs from "fs";
import * as path from "path";
import { defaultPort, runAsGroup, runAsUser } from "../../contract/pod";
import { imageBinaries, serverCrates, serverVersion } from "../../contract/server";
import { atlasChartDir, repoRoot } from "../../lib/paths";
import { parse } from "yaml";

const dockerDir = path.join(repoRoot, "docker");
const dockerfile = DockerfileParser.parse(fs.readFileSync(path.join(dockerDir, "Dockerfile"), "utf8"));

/** ARG defaults declared before the first FROM, which FROM lines may reference. */
const firstFrom = dockerfile.getFROMs()[0].getRange().start.line;
const globalArgs = new Map<string, string>(
  dockerfile
    .getARGs()
    .filter((a) => a.getRange().start.line < firstFrom)
    .flatMap((a) => {
      const prop = a.getProperty();
      return prop ? [[prop.getName(), prop.getValue() ?? ""] as [string, string]] : [];
    }),
);
const resolve = (s: string) => s.replace(/\$\{?([A-Z_]+)\}?/g, (_, n) => globalArgs.get(n) ?? "");
const stages = dockerfile.getFROMs().map((f) => ({ raw: f.getArguments().map((a) => a.getValue()).join(" "), name: f.getBuildStage() }));
const instructionsOf = (stage: number): Instruction[] => {
  const froms = dockerfile.getFROMs();
  const start = froms[stage].getRange().start.line;
  const end = stage + 1 < froms.length ? froms[stage + 1].getRange().start.line : Infinity;
  return dockerfile.getInstructions().filter((i) => i.getRange().start.line > start && i.getRange().start.line < end);
};
const jsonArgs = (i: Instruction) => JSON.parse(i.getRawArgumentsContent() ?? "null");

describe("docker/Dockerfile (container image contract)", () => {
  it("is a multi-stage build: a build stage and a runtime stage", () => {
    assert.deepEqual(stages.map((s) => s.name), ["build", "runtime"]);
  });

  it("pins every base image by digest", () => {
    for (const s of stages) assert.match(resolve(s.raw), /@sha256:[a-f0-9]{64}\b/, s.raw);
  });

  it("builds on a Rust toolchain image", () => {
    assert.match(resolve(stages[0].raw), /^rust:[0-9.]+[-a-z]*@sha256:/);
  });

  it("runs on gcr.io/distroless/cc-debian12:nonroot", () => {
    assert.match(resolve(stages[1].raw), /^gcr\.io\/distroless\/cc-debian12:nonroot@sha256:[a-f0-9]{64} AS runtime$/);
  });

  const stageArg = (name: string) =>
    instructionsOf(0)
      .filter((i) => i.getKeyword() === "ARG")
      .map((i) => i.getArguments()[0].getValue().split("="))
      .find(([n]) => n === name)?.[1];

  it("builds the pinned server version (contract/server.ts)", () => assert.equal(stageArg("ATLAS_VERSION"), serverVersion));

  it("builds the version the chart deploys: the chart's appVersion is the pin", () => {
    const chart = parse(fs.readFileSync(path.join(atlasChartDir, "Chart.yaml"), "utf8"));
    assert.equal(chart.appVersion, serverVersion);
  });

  it("builds both pinned crates with cargo install --locked, in one run", () => {
    const runs = instructionsOf(0).filter((i) => i.getKeyword() === "RUN").map((i) => i.getRawArgumentsContent()!.replace(/\\\n/g, " "));
    const install = runs.find((r) => /cargo install --locked\b/.test(r));
    assert.ok(install, runs.join("\n"));
    for (const { crate } of Object.values(serverCrates)) assert.ok(install!.includes(`"${crate}@\${ATLAS_VERSION}"`), `${crate} missing from: ${install}`);
  });

  for (const [role, target] of Object.entries(imageBinaries)) {
    it(`copies the ${role} binary to ${target}, root-owned and read-only, in the runtime stage`, () => {
      const copies = instructionsOf(1).filter((i): i is Copy => i instanceof Copy);
      const copy = copies.find((c) => c.getFlags().some((f) => f.getName() === "from" && f.getValue() === "build") && c.getArguments().pop()?.getValue() === target);
      assert.ok(copy, copies.map((c) => c.getTextContent()).join("\n"));
      const flag = (name: string) => copy!.getFlags().find((f) => f.getName() === name)?.getValue();
      assert.deepEqual([flag("chown"), flag("chmod")], ["0:0", "0555"]);
    });
  }

  it("runs as the pods' user and group (contract/pod.ts runAsUser:runAsGroup), set once", () => {
    const users = instructionsOf(1).filter((i) => i.getKeyword() === "USER").map((i) => i.getArgumentsContent());
    assert.deepEqual(users, [`${runAsUser}:${runAsGroup}`]);
  });

  it("exposes the server's default port (contract/pod.ts defaultPort) and no other", () => {
    const ports = instructionsOf(1)
      .filter((i) => i.getKeyword() === "EXPOSE")
      .flatMap((i) => i.getArguments().map((a) => a.getValue().replace(/\/tcp$/, "")));
    assert.deepEqual(ports, [String(defaultPort)]);
  });

  it("starts the server binary itself: it takes no subcommand, its config is the environment", () => {
    const last = (kw: string) => instructionsOf(1).filter((i) => i.getKeyword() === kw).pop();
    assert.deepEqual(jsonArgs(last("ENTRYPOINT")!), [imageBinaries.server]);
    assert.equal(last("CMD"), undefined);
  });
});
