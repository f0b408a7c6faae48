import * as fs from "fs";
import * as path from "path";
import { LineCounter, parseAllDocuments } from "yaml";
import type { K8sObject } from "./types";

/** An object read from a file, with where it came from. */
export interface SourcedObject {
  object: K8sObject;
  file: string;
  line: number;
}

/** Unreadable input: a missing path, a directory without YAML, YAML that does not parse, a document that is not a Kubernetes object. */
export class InputError extends Error {}

const yamlFile = /\.(ya?ml)$/i;

function listFiles(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new InputError(`${p}: no such file or directory`);
  }
  if (stat.isFile()) return [p];
  if (!stat.isDirectory()) throw new InputError(`${p}: not a file or directory`);
  const found = fs
    .readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFilesQuiet(path.join(p, e.name)) : yamlFile.test(e.name) ? [path.join(p, e.name)] : []));
  if (!found.length) throw new InputError(`${p}: directory contains no .yaml or .yml files`);
  return found;
}

function listFilesQuiet(dir: string): string[] {
  try {
    return listFiles(dir);
  } catch {
    return [];
  }
}

/** Parses one multi-document YAML text; `kind: List` documents are expanded into their items. */
export function parseObjects(text: string, file: string): SourcedObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const out: SourcedObject[] = [];
  for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.pos?.[0] !== undefined ? lineCounter.linePos(err.pos[0]) : undefined;
      throw new InputError(`${file}${pos ? `:${pos.line}:${pos.col}` : ""}: YAML parse error: ${err.message.split("\n")[0]}`);
    }
    const value = doc.toJS();
    const start = (doc.contents as { range?: number[] } | null)?.range?.[0] ?? doc.range?.[0];
    const line = start !== undefined ? lineCounter.linePos(start).line : 1;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value) || typeof value.apiVersion !== "string" || typeof value.kind !== "string") {
      throw new InputError(`${file}:${line}: document ${i + 1} is not a Kubernetes object (it needs apiVersion and kind)`);
    }
    if (/List$/.test(value.kind) && (value.kind === "List" || Array.isArray(value.items))) {
      for (const [j, item] of (value.items ?? []).entries()) {
        if (item === null || typeof item !== "object" || typeof item.apiVersion !== "string" || typeof item.kind !== "string") {
          throw new InputError(`${file}:${line}: items[${j}] of document ${i + 1} is not a Kubernetes object (it needs apiVersion and kind)`);
        }
        out.push({ object: item, file, line });
      }
      continue;
    }
    out.push({ object: value as K8sObject, file, line });
  }
  return out;
}

/** Reads every object from files and directories (recursively, *.yaml and *.yml). */
export function loadObjects(paths: string[]): SourcedObject[] {
  const out: SourcedObject[] = [];
  for (const p of paths) {
    for (const file of listFiles(p)) {
      let text: string;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch (e) {
        throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
      }
      out.push(...parseObjects(text, file));
    }
  }
  return out;
}
