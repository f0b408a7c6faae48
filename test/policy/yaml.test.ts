import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { dump } from "js-yaml";
import * as os from "os";
import * as path from "path";
import { readYaml, YamlError } from "../../policy/src/yaml";
import { atlasPod, baseline } from "./support/baseline";
import { podSecurityFixtures, provide, referenceRead, yamlReferenceBinary } from "./support/goTools";
import { checkerBin, useInstalledChecker } from "./support/installedChecker";
import { refused, yamlCases } from "./yamlCases";

/** JSON with sorted keys: Go's encoding/json sorts them, JavaScript keeps insertion order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

function read(text: string, reading?: "fast" | "reference"): unknown[] | typeof refused {
  try {
    return readYaml(text, "case.yaml", reading).map((d) => d.value);
  } catch (e) {
    if (e instanceof YamlError) return refused;
    throw e;
  }
}

describe("YAML reading: YAML 1.1 as the API server reads it", () => {
  for (const c of yamlCases) {
    it(`${c.name} -> ${c.expect === refused ? "refused" : canonical(c.expect)}`, () => {
      const got = read(c.yaml);
      assert.equal(got === refused ? refused : canonical(got[0]), c.expect === refused ? refused : canonical(c.expect));
    });
  }
});

describe("YAML reading: the table agrees with sigs.k8s.io/yaml (kubectl's and the API server's reader)", () => {
  let binary: string | undefined;
  let dir: string;
  before(function () {
    this.timeout(900_000);
    binary = provide(this, "the YAML reference reader (tools/yaml-reference)", yamlReferenceBinary);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-yaml-"));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  for (const c of yamlCases) {
    it(`the reference reads "${c.name}" as the table says`, () => {
      const file = path.join(dir, "case.yaml");
      fs.writeFileSync(file, c.yaml);
      const docs = referenceRead(binary!, file);
      const got = "refused" in docs || docs.some((d) => "error" in d) ? refused : canonical((docs[0] as { json: unknown }).json);
      assert.equal(got, c.expect === refused ? refused : canonical(c.expect));
    });
  }
});

describe("YAML reading: the fast reading matches the reference reading", () => {
  /** Documents in many shapes: the table, the official Pod Security fixtures, the baseline in block and flow styles. */
  function corpus(ctx: Mocha.Context): string[] {
    const texts = yamlCases.map((c) => c.yaml);
    const objects = [...baseline(), ...baseline({ cachedOnly: true }), atlasPod()];
    texts.push(objects.map((o) => dump(o)).join("---\n"));
    texts.push(objects.map((o) => dump(o, { flowLevel: 2 })).join("---\n"));
    texts.push(objects.map((o) => dump(o, { flowLevel: 0, quotingType: '"', forceQuotes: true })).join("---\n"));
    const fixtures = provide(ctx, "the Pod Security fixtures", podSecurityFixtures);
    for (const { pass, fail } of fixtures?.values() ?? []) for (const f of [...pass, ...fail]) texts.push(fs.readFileSync(f, "utf8"));
    return texts;
  }

  it("reads every document of the corpus to the same values, or declines it", function () {
    this.timeout(120_000);
    let fast = 0;
    for (const text of corpus(this)) {
      const reference = read(text, "reference");
      let f: unknown[] | typeof refused;
      try {
        f = read(text, "fast");
      } catch (e) {
        if (/declined/.test((e as Error).message)) continue;
        throw e;
      }
      fast++;
      assert.equal(canonical(f), canonical(reference), text.slice(0, 200));
    }
    assert.ok(fast > 100, `the fast reading served only ${fast} documents`);
  });

  it("reports every error at the reference reading's file:line:col", () => {
    const cases: [string, string][] = [
      ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n", "case.yaml:5:1"],
      ["a: 1\n---\nb: [1,\n", "case.yaml:4:1"],
      ["a: 1\na: 2\n", "case.yaml:2:1"],
      ["kind: x\n---\nd:\n  q: 1\n  <<: {q: 2}\n", "case.yaml:5:8"],
      ["--- extra\n", "case.yaml:1:1"],
    ];
    for (const [text, at] of cases) {
      const errors = [undefined, "reference"].map((reading) => {
        try {
          readYaml(text, "case.yaml", reading as "reference" | undefined);
          return "accepted";
        } catch (e) {
          return (e as Error).message;
        }
      });
      assert.equal(errors[0], errors[1]);
      assert.ok(errors[0].startsWith(`${at}: YAML parse error: `), `${JSON.stringify(text)}: ${errors[0]}`);
    }
  });
});

describe("YAML reading: the checker refuses what the cluster would read as a violation", () => {
  const bin = checkerBin;
  useInstalledChecker();
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-policy-yaml-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [field, word] of [
    ["hostPID", "yes"],
    ["hostNetwork", "on"],
    ["hostIPC", "Y"],
  ]) {
    it(`refuses a pod whose ${field} is ${word} (YAML 1.1 true)`, () => {
      const text = dump(atlasPod()).replace(/^spec:\n/m, `spec:\n  ${field}: ${word}\n`);
      fs.writeFileSync(path.join(dir, "pod.yaml"), text);
      const r = spawnSync(bin, ["check", path.join(dir, "pod.yaml"), "--json"], { encoding: "utf8" });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.ok(JSON.parse(r.stdout).some((f: any) => f.policy === "pss-host-namespaces"));
    });
  }

  it("refuses a pod that merges host namespaces in with a << key", () => {
    const text = `x-host: &host {hostPID: true}\n${dump(atlasPod()).replace(/^spec:\n/m, "spec:\n  <<: *host\n")}`;
    fs.writeFileSync(path.join(dir, "pod.yaml"), text);
    const r = spawnSync(bin, ["check", path.join(dir, "pod.yaml"), "--json"], { encoding: "utf8" });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.ok(JSON.parse(r.stdout).some((f: any) => f.policy === "pss-host-namespaces"));
  });

  it("refuses a duplicate key with exit 2 at its line and column", () => {
    fs.writeFileSync(path.join(dir, "dup.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  hostPID: false\n  hostPID: true\n");
    const r = spawnSync(bin, ["check", path.join(dir, "dup.yaml")], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /dup\.yaml:6:3: YAML parse error: key "hostPID" already set in map/);
  });
});
