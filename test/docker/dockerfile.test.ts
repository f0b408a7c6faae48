import { strict as assert } from "assert";
import { Copy, DockerfileParser, Instruction } from "dockerfile-ast";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../lib/paths";

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

  it("builds with cargo build --locked --release -p bijux-atlas-server", () => {
    const runs = instructionsOf(0).filter((i) => i.getKeyword() === "RUN").map((i) => i.getRawArgumentsContent()!.replace(/\\\n/g, " "));
    assert.ok(runs.some((r) => /cargo build --locked --release -p bijux-atlas-server\b/.test(r)), runs.join("\n"));
  });

  it("installs the binary at /app/bijux-atlas in the runtime stage", () => {
    const copies = instructionsOf(1).filter((i): i is Copy => i instanceof Copy);
    const binary = copies.find((c) => c.getFlags().some((f) => f.getName() === "from" && f.getValue() === "build") && c.getArguments().pop()?.getValue() === "/app/bijux-atlas");
    assert.ok(binary, copies.map((c) => c.getTextContent()).join("\n"));
  });

  it("runs as a non-root user", () => {
    const users = instructionsOf(1).filter((i) => i.getKeyword() === "USER");
    assert.equal(users.length, 1);
    const [uid] = users[0].getArguments()[0].getValue().split(":");
    assert.ok(uid === "nonroot" || Number(uid) > 0, `USER ${uid}`);
  });

  it("gives /app/bijux-atlas atlas serve as entrypoint plus command", () => {
    const last = (kw: string) => instructionsOf(1).filter((i) => i.getKeyword() === kw).pop()!;
    assert.deepEqual([...jsonArgs(last("ENTRYPOINT")), ...jsonArgs(last("CMD"))], ["/app/bijux-atlas", "atlas", "serve"]);
  });

  it("ships an ignore list for the source-checkout context that excludes build output and VCS data", () => {
    const ignore = fs.readFileSync(path.join(dockerDir, "Dockerfile.dockerignore"), "utf8").split("\n").map((l) => l.trim());
    for (const entry of ["**/target/", ".git/"]) assert.ok(ignore.includes(entry), entry);
  });
});
