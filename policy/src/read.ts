import * as fs from "fs";
import * as path from "path";
import { readYaml, YamlError } from "./yaml";
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
  const found = yamlFilesUnder(p);
  if (!found.length) throw new InputError(`${p}: directory contains no .yaml or .yml files`);
  return found;
}

function yamlFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFilesUnder(path.join(dir, e.name)) : yamlFile.test(e.name) ? [path.join(dir, e.name)] : []));
}

const isObject = (v: any): v is K8sObject => v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.apiVersion === "string" && typeof v.kind === "string";

/** Parses one multi-document YAML text; `kind: List` documents (and *List kinds with items) are expanded into their items. */
export function parseObjects(text: string, file: string): SourcedObject[] {
  let docs;
  try {
    docs = readYaml(text, file);
  } catch (e) {
    if (e instanceof YamlError) throw new InputError(e.message);
    throw e;
  }
  const out: SourcedObject[] = [];
  docs.forEach(({ value, line }, i) => {
    const v = value as any;
    if (!isObject(v)) throw new InputError(`${file}:${line}: document ${i + 1} is not a Kubernetes object (it needs apiVersion and kind)`);
    if (v.kind === "List" || (v.kind!.endsWith("List") && Array.isArray(v.items))) {
      (Array.isArray(v.items) ? v.items : []).forEach((item: unknown, j: number) => {
        if (!isObject(item)) throw new InputError(`${file}:${line}: items[${j}] of document ${i + 1} is not a Kubernetes object (it needs apiVersion and kind)`);
        out.push({ object: item, file, line });
      });
      return;
    }
    out.push({ object: v, file, line });
  });
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
      for (const o of parseObjects(text, file)) out.push(o);
    }
  }
  return out;
}
