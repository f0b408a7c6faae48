/**
 * Benchmark of the atlas-policy checker: generates a corpus of 10,000 Kubernetes objects (copies
 * of every profile's render, renamed across namespaces), writes it as multi-document YAML, then
 * times load + check in this process and reports objects per second and peak memory.
 *
 *   npx ts-node --transpile-only bench/policy-check.ts [objects]
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { check, counts } from "../policy/src/evaluate";
import { loadObjects } from "../policy/src/read";
import { K8sObject, profiles, renderProfile } from "../lib/chartProfiles";

const target = Number(process.argv[2] ?? 10000);
const renders = profiles.map((p) => renderProfile(p.name));

// Each copy of a render lives in its own namespace, so cross-object references stay consistent.
const corpus: K8sObject[] = [];
for (let i = 0; corpus.length < target; i++) {
  renders.forEach((render, p) => {
    for (const t of render) {
      if (corpus.length >= target) return;
      const o = structuredClone(t);
      o.metadata.namespace = `atlas-${i}-${p}`;
      corpus.push(o);
    }
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-policy-bench-"));
const file = path.join(dir, "corpus.yaml");
fs.writeFileSync(file, corpus.map((o) => stringify(o)).join("---\n"));
const size = fs.statSync(file).size;

const t0 = process.hrtime.bigint();
const loaded = loadObjects([file]);
const t1 = process.hrtime.bigint();
const findings = check(loaded.map((s) => s.object));
const t2 = process.hrtime.bigint();
fs.rmSync(dir, { recursive: true, force: true });

const s = (a: bigint, b: bigint) => Number(b - a) / 1e9;
const total = s(t0, t2);
const c = counts(findings);
console.log(`objects:            ${loaded.length} (${(size / 1024 / 1024).toFixed(1)} MiB of YAML)`);
console.log(`parse:              ${s(t0, t1).toFixed(2)} s`);
console.log(`check:              ${s(t1, t2).toFixed(2)} s`);
console.log(`throughput:         ${Math.round(loaded.length / total)} objects/s (parse + check), ${Math.round(loaded.length / s(t1, t2))} objects/s (check only)`);
console.log(`peak memory (RSS):  ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
console.log(`findings:           ${c.mandatory} mandatory, ${c.advisory} advisory (the all-features Rollouts without CRDs)`);
