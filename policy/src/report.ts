import { counts, Finding } from "./evaluate";
import type { SourcedObject } from "./read";

export interface JsonFinding {
  policy: string;
  enforcement: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  file: string;
  line: number;
  message: string;
  remediation: string;
}

/** --json: one entry per finding; exempted findings carry enforcement "exempted" and the reason. */
export function toJson(findings: Finding[], sources: Map<object, SourcedObject>): JsonFinding[] {
  return findings.map((f) => ({
    policy: f.policy,
    enforcement: f.exemptedBecause ? "exempted" : f.enforcement,
    apiVersion: f.object.apiVersion ?? "",
    kind: f.object.kind ?? "",
    namespace: f.object.metadata?.namespace ?? "",
    name: f.object.metadata?.name ?? "",
    file: sources.get(f.object)?.file ?? "",
    line: sources.get(f.object)?.line ?? 0,
    message: f.exemptedBecause ? `${f.message} (exempted: ${f.exemptedBecause})` : f.message,
    remediation: f.remediation,
  }));
}

/** Human-readable report, grouped by object, each finding with what to do, and a closing summary. */
export function toText(findings: Finding[], sources: Map<object, SourcedObject>, checked: number): string {
  const groups = new Map<object, Finding[]>();
  for (const f of findings) {
    const g = groups.get(f.object);
    if (g) g.push(f);
    else groups.set(f.object, [f]);
  }
  const lines: string[] = [];
  for (const [object, fs] of groups) {
    const o = object as Finding["object"];
    const src = sources.get(object);
    lines.push(`${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name ?? "?"}${src ? `  (${src.file}:${src.line})` : ""}`);
    for (const f of fs) {
      const tag = f.exemptedBecause ? "exempted " : f.enforcement === "mandatory" ? "MANDATORY" : "advisory ";
      lines.push(`  [${tag}] ${f.policy}: ${f.message}${f.exemptedBecause ? ` -- exempted: ${f.exemptedBecause}` : ""}`);
      if (!f.exemptedBecause) lines.push(`              fix: ${f.remediation}`);
    }
    lines.push("");
  }
  const c = counts(findings);
  lines.push(`${checked} object(s) checked: ${c.mandatory} mandatory violation(s), ${c.advisory} advisory, ${c.exempted} exempted.`);
  return lines.join("\n");
}
