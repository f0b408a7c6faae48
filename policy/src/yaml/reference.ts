/**
 * The reference reading of one document: the `yaml` package parses it (syntax only, every scalar
 * kept as written), and this module decodes the nodes as go-yaml v2 in strict mode and
 * sigs.k8s.io/yaml do for the API server: YAML 1.1 scalars, `<<` merge keys, duplicate keys
 * refused (a merged key counts), keys turned into JSON object keys. Errors carry the offset of
 * the node at fault.
 */
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, Node, parseAllDocuments, Scalar } from "yaml";
import { formatFloat32, resolvePlain, resolveTagged, Resolved, shortTag, tags } from "./scalars";

/** A document that the API server would refuse, with the offset (in the document) of the cause. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** A decoded map key: its JSON key, and the Go value it is equal to (for duplicate detection). */
interface Key {
  json: string;
  identity: string;
}

const offsetOf = (node: { range?: [number, number, number] | null } | null | undefined) => node?.range?.[0] ?? 0;

class Decoder {
  private readonly memo = new Map<Node, Value>();
  constructor(private readonly doc: Document.Parsed) {}

  resolveAlias(alias: Alias): Node {
    const target = alias.resolve(this.doc);
    if (!target) throw new DecodeError(`unknown anchor '${alias.source}' referenced`, offsetOf(alias));
    return target as Node;
  }

  scalar(node: Scalar): Resolved {
    const text = String(node.source ?? node.value ?? "");
    const quoted = node.type !== "PLAIN";
    const tag = node.tag;
    if (tag && tag !== "!") {
      const r = resolveTagged(tag, text);
      if ("error" in r) throw new DecodeError(r.error, offsetOf(node));
      return r;
    }
    // A quoted or block scalar, or one tagged "!", is a string.
    return quoted || tag === "!" ? { tag: tags.str, value: text } : resolvePlain(text);
  }

  value(node: Node | null | undefined): Value {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.value(this.resolveAlias(node));
    const known = this.memo.get(node);
    if (known !== undefined) return known;
    let v: Value;
    if (isScalar(node)) {
      const r = this.scalar(node);
      if (typeof r.value === "number" && !Number.isFinite(r.value)) throw new DecodeError(`json: unsupported value: ${r.value > 0 ? "+Inf" : r.value < 0 ? "-Inf" : "NaN"}`, offsetOf(node));
      v = r.value;
    } else if (isSeq(node)) {
      v = node.items.map((item) => this.value(item as Node));
    } else if (isMap(node)) {
      v = this.map(node, {}, new Map());
    } else {
      throw new DecodeError("unsupported YAML node", offsetOf(node as any));
    }
    this.memo.set(node, v);
    return v;
  }

  key(node: Node | null | undefined, at: number): Key {
    if (node === null || node === undefined) throw new DecodeError("unsupported map key of type: <nil> (a null key)", at);
    if (isAlias(node)) return this.key(this.resolveAlias(node), offsetOf(node));
    if (!isScalar(node)) throw new DecodeError(`invalid map key: a ${isSeq(node) ? "sequence" : "mapping"} cannot be a key`, offsetOf(node));
    const r = this.scalar(node);
    const v = r.value;
    if (v === null) throw new DecodeError("unsupported map key of type: <nil> (a null key)", offsetOf(node));
    if (r.unsigned) throw new DecodeError(`unsupported map key of type: uint64, key: ${node.source}`, offsetOf(node));
    if (typeof v === "boolean") return { json: String(v), identity: `bool:${v}` };
    if (r.integer !== undefined) return { json: r.integer.toString(), identity: `int:${r.integer}` };
    if (r.tag === tags.float) return { json: formatFloat32(v as number), identity: `float:${v}` };
    return { json: String(v), identity: `str:${v}` };
  }

  /** Decodes a mapping into `into`, as go-yaml's strict mapping(): keys in order, merges where they stand. */
  map(node: Node, into: { [key: string]: Value }, seen: Map<string, string>): { [key: string]: Value } {
    if (isAlias(node)) return this.map(this.resolveAlias(node), into, seen);
    if (!isMap(node)) throw new DecodeError("map merge requires map or sequence of maps as the value", offsetOf(node));
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as Node | null;
      if (isScalar(k) && k.source === "<<" && ((k.type === "PLAIN" && !k.tag) || k.tag === tags.merge)) {
        this.merge(pair.value as Node, into, seen);
        continue;
      }
      const key = this.key(k, offsetOf(node));
      const previous = seen.get(key.json);
      if (previous === key.identity) throw new DecodeError(`key ${JSON.stringify(key.json)} already set in map`, offsetOf(k));
      if (previous !== undefined) throw new DecodeError(`keys ${previous.replace(/^[a-z]+:/, "")} and ${key.identity.replace(/^[a-z]+:/, "")} both become the JSON key ${JSON.stringify(key.json)}`, offsetOf(k));
      seen.set(key.json, key.identity);
      into[key.json] = this.value(pair.value as Node);
    }
    return into;
  }

  merge(value: Node | null, into: { [key: string]: Value }, seen: Map<string, string>): void {
    const target = value && isAlias(value) ? this.resolveAlias(value) : value;
    if (target && isSeq(target)) {
      // go-yaml merges the listed maps from the last to the first.
      for (const item of [...target.items].reverse()) {
        const m = item && isAlias(item as Node) ? this.resolveAlias(item as Alias) : (item as Node);
        if (!m || !isMap(m)) throw new DecodeError("map merge requires map or sequence of maps as the value", offsetOf(item as Node));
        this.map(m, into, seen);
      }
      return;
    }
    if (!target || !isMap(target)) throw new DecodeError("map merge requires map or sequence of maps as the value", offsetOf(value));
    this.map(target, into, seen);
  }
}

const directive = /^%YAML[ \t]+(\S+)/m;

/** Decodes one document (as split by splitDocuments); undefined when it holds nothing. */
export function decodeReference(text: string): Value | undefined {
  const d = directive.exec(text);
  if (d && d[1] !== "1.1") throw new DecodeError("found incompatible YAML document", d.index);
  const docs = parseAllDocuments(text, { version: "1.1", schema: "failsafe", merge: false, uniqueKeys: false, strict: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) throw new DecodeError(err.message.split("\n")[0], err.pos?.[0] ?? 0);
  }
  // go-yaml's Unmarshal reads the first document of its input.
  const first = list[0];
  if (!first || first.contents === null) return undefined;
  const v = new Decoder(first).value(first.contents as Node);
  return v === null ? undefined : v;
}

export { shortTag };
