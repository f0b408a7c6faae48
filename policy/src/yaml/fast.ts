/**
 * The fast reading of one document: js-yaml with a schema whose plain scalars resolve as go-yaml
 * v2's do (scalars.ts). It declines (returns `declined`) whenever its reading could differ from
 * the reference: merge keys, directives, explicit tags it does not know, keys that were not
 * strings in YAML (null, floats, big integers), and any error. The reference reading then decides,
 * so values and error positions are always the reference's.
 */
import { FAILSAFE_SCHEMA, load, Type } from "js-yaml";
import { resolvePlain, Resolved } from "./scalars";

export const declined = Symbol("declined");

let last: Resolved | undefined;

/** Every plain scalar goes through go-yaml's resolution; strings stay strings. */
const goPlain = new Type("tag:yaml.org,2002:go-plain", {
  kind: "scalar",
  resolve(data: string) {
    const r = resolvePlain(data);
    if (r.tag === "tag:yaml.org,2002:str" || r.tag === "tag:yaml.org,2002:timestamp") return false;
    last = r;
    return true;
  },
  construct: () => last!.value,
});

const schema = FAILSAFE_SCHEMA.extend({ implicit: [goPlain] });

/** A key that a non-string YAML key may have produced, whose JSON form the reference computes. */
const keyNeedsReference = (k: string) => k === "null" || k === "NaN" || k === "Infinity" || k === "-Infinity" || (/^[-+.0-9]/.test(k) && !/^-?(0|[1-9][0-9]{0,14})$/.test(k));

function keysPlain(v: unknown): boolean {
  if (v === null || typeof v !== "object") return typeof v !== "number" || Number.isFinite(v);
  if (Array.isArray(v)) return v.every(keysPlain);
  for (const k of Object.keys(v)) if (keyNeedsReference(k) || !keysPlain((v as Record<string, unknown>)[k])) return false;
  return true;
}

/**
 * Text the fast reading leaves to the reference: merge keys, directives, explicit keys (`? `) and
 * collections or aliases used as keys (js-yaml turns them into strings; go-yaml refuses them).
 */
const needsReference = /<<|^%|(?:^|[\s,{[])\?(?:\s|$)|[\]}][ \t]*:(?:\s|$)|(?:^|[\s,{[-])\*[^\s,[\]{}]+[ \t]*:(?:\s|$)/m;

export function decodeFast(text: string): unknown | typeof declined {
  if (needsReference.test(text)) return declined;
  let v: unknown;
  try {
    v = load(text, { schema });
  } catch {
    return declined;
  }
  return keysPlain(v) ? (v ?? undefined) : declined;
}
