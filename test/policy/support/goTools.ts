/**
 * The outside references the policy tests compare against: the YAML reader of kubectl and the API
 * server (tools/yaml-reference, built once per machine) and the official Pod Security fixtures
 * (the pinned k8s.io/pod-security-admission module). When they cannot be had the tier says so;
 * under CI (test/support/ci.ts) it fails instead of skipping.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ensureGoTool, goTools } from "../../../lib/toolchain/goTool";
import { podSecurityRelease } from "../../../policy/src/podSecurity/controls";
import { underCi } from "../../support/ci";

/** Runs `fn` in a `before` hook; on failure skips the suite loudly, or fails it under CI. */
export function provide<T>(ctx: Mocha.Context, what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    const why = `${what} is not available: ${(e as Error).message.split("\n").slice(0, 3).join(" ")}`;
    if (underCi()) throw new Error(`${why} (under CI a tier that cannot run fails)`);
    process.stderr.write(`SKIPPED: ${why}\n`);
    ctx.skip();
  }
}

/** One document as the reference read it: its JSON, or the error it refused it with. */
export type ReferenceDocument = { json: unknown } | { error: string };

/** Reads a YAML file with the reference reader; `refused` when it refuses the stream itself. */
export function referenceRead(binary: string, file: string): ReferenceDocument[] | { refused: string } {
  try {
    const out = execFileSync(binary, [file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return out
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch (e: any) {
    if (e.status === 2) return { refused: String(e.stderr).trim() };
    throw e;
  }
}

export const yamlReferenceBinary = () => ensureGoTool(goTools.yamlReference);

/** The official fixtures of the restricted level: version -> pass/fail -> file paths. */
export function podSecurityFixtures(): Map<string, { pass: string[]; fail: string[] }> {
  const { module, version } = podSecurityRelease;
  const info = JSON.parse(execFileSync("go", ["mod", "download", "-json", `${module}@${version}`], { encoding: "utf8", env: { ...process.env, GOFLAGS: "-mod=mod" } }));
  if (!info.Dir) throw new Error(`go mod download ${module}@${version}: ${info.Error ?? "no directory"}`);
  const root = path.join(info.Dir, "test", "testdata", "restricted");
  const out = new Map<string, { pass: string[]; fail: string[] }>();
  for (const v of fs.readdirSync(root)) {
    const list = (kind: string) => fs.readdirSync(path.join(root, v, kind)).map((f) => path.join(root, v, kind, f));
    out.set(v.replace(/^v/, ""), { pass: list("pass"), fail: list("fail") });
  }
  return out;
}
