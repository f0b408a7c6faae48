import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { dump } from "js-yaml";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../lib/paths";
import { atlasPod, baseline, K8sObject, server } from "./support/baseline";
import { checkerBin, useInstalledChecker } from "./support/installedChecker";

const bin = checkerBin;
const run = (...args: string[]) => spawnSync(bin, args, { encoding: "utf8", cwd: repoRoot });
const yaml = (objs: K8sObject[]) => objs.map((o) => dump(o)).join("---\n");

describe("atlas-policy check (CLI)", () => {
  useInstalledChecker();
  let dir: string;
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-policy-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs compiled JavaScript: the bin loads the checker from dist/", () => {
    const text = fs.readFileSync(fs.realpathSync(bin), "utf8");
    assert.match(text, /require\("\.\.\/dist\/policy\/src\/cli\.js"\)/);
    assert.doesNotMatch(text, /ts-node/);
  });

  it("exits 0 on a compliant release, with a summary", () => {
    const r = run("check", write("release.yaml", yaml(baseline())));
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /6 object\(s\) checked: 0 mandatory violation\(s\), 0 advisory, 0 exempted\./);
  });

  it("exits 1 on a mandatory violation, grouping the report by object with file:line and what to do", () => {
    const objs = baseline();
    server(objs).securityContext.privileged = true;
    const r = run("check", write("bad.yaml", yaml(objs)));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Deployment atlas\/atlas-bijux-atlas {2}\(.*bad\.yaml:\d+\)\n {2}\[MANDATORY\] pss-privileged: containers\[server\]: securityContext\.privileged is true\n +fix: remove securityContext\.privileged/m);
  });

  it("exits 0 when only advisory rules are red", () => {
    const r = run("check", write("advisory.yaml", yaml(baseline().filter((o) => o.kind !== "PodDisruptionBudget"))));
    assert.equal(r.status, 0);
    assert.match(r.stdout, /\[advisory \] atlas-pdb/);
  });

  it("prints findings as JSON with the documented fields", () => {
    const objs = baseline();
    server(objs).image = "ghcr.io/bijux/bijux-atlas:latest";
    const file = write("x.yaml", yaml(objs));
    const r = run("check", file, "--json");
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out[0]).sort(), ["apiVersion", "enforcement", "file", "kind", "line", "message", "name", "namespace", "policy", "remediation"]);
    assert.deepEqual(
      out.map((f: any) => [f.policy, f.enforcement, f.kind, f.namespace, f.name, f.file]),
      [
        ["atlas-image-tag", "mandatory", "Deployment", "atlas", "atlas-bijux-atlas", file],
        ["atlas-image-digest", "mandatory", "Deployment", "atlas", "atlas-bijux-atlas", file],
      ],
    );
  });

  it("reads directories recursively, multi-document files, empty documents and List objects", () => {
    const pod = atlasPod();
    pod.spec.hostPID = true;
    write("a/release.yaml", "---\n" + yaml(baseline()) + "\n---\n---\n");
    write("b/list.yml", dump({ apiVersion: "v1", kind: "List", items: [pod] }));
    write("b/notes.txt", "not yaml, not read");
    const r = run("check", dir, "--json");
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((f: any) => [f.policy, f.kind, f.name]), [["pss-host-namespaces", "Pod", "atlas-debug"]]);
  });

  it("checks set rules across files (a ConfigMap in one file, the pod loading it in another)", () => {
    const objs = baseline();
    objs.find((o) => o.kind === "ConfigMap")!.data.ATLAS_CACHED_ONLY_MODE = "true";
    objs.find((o) => o.kind === "NetworkPolicy")!.spec.egress.push({ to: [{ ipBlock: { cidr: "10.9.0.0/24" } }], ports: [{ port: 443 }] });
    write("cm.yaml", yaml(objs.filter((o) => o.kind === "ConfigMap")));
    write("rest.yaml", yaml(objs.filter((o) => o.kind !== "ConfigMap")));
    const r = run("check", dir, "--json");
    assert.equal(r.status, 1);
    assert.ok(JSON.parse(r.stdout).some((f: any) => f.policy === "atlas-egress" && /ATLAS_CACHED_ONLY_MODE=true/.test(f.message)));
  });

  it("exits 2 on malformed YAML, naming the file, line and column", () => {
    const file = write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n");
    const r = run("check", file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5:1: YAML parse error`));
  });

  it("exits 2 on a document that is not a Kubernetes object", () => {
    const file = write("values.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nreplicas: 3\nimage: x\n");
    const r = run("check", file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /values\.yaml:5: document 2 is not a Kubernetes object \(it needs apiVersion and kind\)/);
  });

  it("exits 2 on an empty file: nothing to check", () => {
    const r = run("check", write("empty.yaml", ""));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no Kubernetes objects found in .*empty\.yaml/);
  });

  it("exits 2 on a directory with no YAML", () => {
    write("README.txt", "nothing here");
    const r = run("check", dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /directory contains no \.yaml or \.yml files/);
  });

  it("exits 2 on an unknown option, naming it and printing the usage", () => {
    const r = run("check", "--jsn", write("release.yaml", yaml(baseline())));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--jsn/);
    assert.match(r.stderr, /Usage: atlas-policy check/);
  });

  it("exits 2 on check without a path, and on an unknown command", () => {
    assert.match(run("check").stderr, /check needs at least one file or directory/);
    assert.equal(run("check").status, 2);
    assert.equal(run("lint", "x.yaml").status, 2);
  });

  it("prints its usage with --help and exits 0", () => {
    const r = run("--help");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Exit status: 0 clean, 1 a mandatory violation, 2 bad input or usage/);
  });

  it("exits 2 on a missing path", () => {
    const r = run("check", path.join(dir, "nope.yaml"));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nope\.yaml: no such file or directory/);
  });

  it("applies a pack config: the dev stack's digest rule is advisory", () => {
    const objs = baseline();
    server(objs).image = "localhost:5001/bijux-atlas:dev";
    const file = write("dev.yaml", yaml(objs));
    assert.equal(run("check", file).status, 1);
    assert.equal(run("check", file, "--config", path.join(repoRoot, "policy", "config", "dev.json")).status, 0);
  });

  it("exits 2 on a pack config naming an unknown policy", () => {
    const cfg = write("cfg.json", JSON.stringify({ "no-such-policy": "advisory" }));
    const r = run("check", write("r.yaml", yaml(baseline())), "--config", cfg);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown policy "no-such-policy"/);
  });

  it("exits 2 on a setting the policy does not have, naming the settings it has", () => {
    const cfg = write("cfg.json", JSON.stringify({ "atlas-rollout-crds": { preinstaled: true } }));
    const r = run("check", write("r.yaml", yaml(baseline())), "--config", cfg);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /atlas-rollout-crds: unknown setting "preinstaled" \(settings: preinstalled\)/);
  });

  it("reports exemptions and does not count them", () => {
    const objs = baseline();
    server(objs).image = "ghcr.io/bijux/bijux-atlas:0.1.0";
    const file = write("e.yaml", yaml(objs));
    const ex = write("ex.yaml", dump({ exemptions: [{ policy: "atlas-image-digest", kind: "Deployment", namespace: "atlas", name: "atlas-bijux-atlas", reason: "INC-9 hotfix build" }] }));
    const r = run("check", file, "--exemptions", ex, "--json");
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout).map((f: any) => [f.policy, f.enforcement]), [["atlas-image-digest", "exempted"]]);
    assert.match(r.stdout, /exempted: INC-9 hotfix build/);
  });

  it("exits 2 on an exemption without a reason", () => {
    const ex = write("ex.yaml", dump({ exemptions: [{ policy: "atlas-pdb", kind: "Deployment", name: "x" }] }));
    const r = run("check", write("r.yaml", yaml(baseline())), "--exemptions", ex);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /exemptions\[0\]\.reason is required/);
  });
});
