import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { repoRoot } from "../../lib/paths";
import { helmTemplate } from "../support/chart";
import { atlasPod, baseline, server } from "./fixtures";

const bin = path.join(repoRoot, "node_modules", ".bin", "atlas-policy");
const run = (...args: string[]) => spawnSync(bin, args, { encoding: "utf8", cwd: repoRoot });

describe("atlas-policy check (CLI)", () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-policy-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits 0 on a compliant helm template render, with a summary", () => {
    const file = write("render.yaml", helmTemplate().stdout);
    const r = run("check", file);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /8 object\(s\) checked: 0 mandatory violation\(s\), 0 advisory, 0 exempted\./);
  });

  it("exits 1 on a mandatory violation and groups the report by object", () => {
    const objs = baseline();
    server(objs).securityContext.privileged = true;
    const r = run("check", write("bad.yaml", objs.map((o) => stringify(o)).join("---\n")));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Deployment atlas\/atlas-bijux-atlas {2}\(.*bad\.yaml:\d+\)\n {2}\[MANDATORY\] pss-privileged: containers\[server\]: privileged is true/m);
  });

  it("exits 0 when only advisory rules are red", () => {
    const objs = baseline().filter((o) => o.kind !== "PodDisruptionBudget");
    const r = run("check", write("advisory.yaml", objs.map((o) => stringify(o)).join("---\n")));
    assert.equal(r.status, 0);
    assert.match(r.stdout, /\[advisory \] atlas-pdb/);
  });

  it("prints findings as JSON with the documented fields", () => {
    const objs = baseline();
    server(objs).image = "ghcr.io/bijux/bijux-atlas:latest";
    const file = write("x.yaml", objs.map((o) => stringify(o)).join("---\n"));
    const r = run("check", file, "--json");
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out[0]).sort(), ["apiVersion", "enforcement", "file", "kind", "message", "name", "namespace", "policy"]);
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
    write("a/render.yaml", "---\n" + helmTemplate().stdout + "\n---\n---\n");
    write("b/list.yml", stringify({ apiVersion: "v1", kind: "List", items: [pod] }));
    write("b/notes.txt", "not yaml, not read");
    const r = run("check", dir, "--json");
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((f: any) => [f.policy, f.kind, f.name]), [["pss-host-namespaces", "Pod", "atlas-debug"]]);
  });

  it("checks CronJobs", () => {
    const t = baseline().find((o) => o.kind === "Deployment")!.spec.template;
    t.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
    const cron = { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly", namespace: "atlas" }, spec: { schedule: "@daily", jobTemplate: { spec: { template: t } } } };
    const r = run("check", write("cron.yaml", stringify(cron)), "--json");
    assert.equal(r.status, 1);
    assert.ok(JSON.parse(r.stdout).some((f: any) => f.policy === "atlas-read-only-root" && f.kind === "CronJob"));
  });

  it("exits 2 on malformed YAML, naming the file and line", () => {
    const file = write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n");
    const r = run("check", file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5:\\d+: YAML parse error`));
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

  it("exits 2 on a missing path", () => {
    const r = run("check", path.join(dir, "nope.yaml"));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nope\.yaml: no such file or directory/);
  });

  it("applies a pack config: the dev stack's digest rule is advisory", () => {
    const objs = baseline();
    server(objs).image = "localhost:5001/bijux-atlas:dev";
    const file = write("dev.yaml", objs.map((o) => stringify(o)).join("---\n"));
    assert.equal(run("check", file).status, 1);
    assert.equal(run("check", file, "--config", path.join(repoRoot, "policy", "config", "dev.json")).status, 0);
  });

  it("exits 2 on a pack config naming an unknown policy", () => {
    const cfg = write("cfg.json", JSON.stringify({ "no-such-policy": "advisory" }));
    const r = run("check", write("r.yaml", helmTemplate().stdout), "--config", cfg);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown policy "no-such-policy"/);
  });

  it("reports exemptions and does not count them", () => {
    const objs = baseline();
    server(objs).image = "ghcr.io/bijux/bijux-atlas:0.1.0";
    const file = write("e.yaml", objs.map((o) => stringify(o)).join("---\n"));
    const ex = write("ex.yaml", stringify({ exemptions: [{ policy: "atlas-image-digest", kind: "Deployment", namespace: "atlas", name: "atlas-bijux-atlas", reason: "INC-9 hotfix build" }] }));
    const r = run("check", file, "--exemptions", ex, "--json");
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout).map((f: any) => [f.policy, f.enforcement]), [["atlas-image-digest", "exempted"]]);
    assert.match(r.stdout, /exempted: INC-9 hotfix build/);
  });

  it("exits 2 on an exemption without a reason", () => {
    const ex = write("ex.yaml", stringify({ exemptions: [{ policy: "atlas-pdb", kind: "Deployment", name: "x" }] }));
    const r = run("check", write("r.yaml", helmTemplate().stdout), "--exemptions", ex);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /exemptions\[0\]\.reason is required/);
  });
});
