/**
 * Reads a YAML stream as kubectl and the API server do: documents split by kubectl's reader, each
 * read as YAML 1.1 by go-yaml v2 (strict) and sigs.k8s.io/yaml. The fast reading serves every
 * document it can read exactly; the reference reading serves the rest and reports every error,
 * with the file, line and column of its cause.
 */
import { splitDocuments, SeparatorError } from "./documents";
import { declined, decodeFast } from "./fast";

/**
 * The reference reading, loaded on first use: it pulls in the `yaml` package, which costs more
 * start-up time than checking a whole chart's render when the fast reading serves every document.
 */
let referenceModule: typeof import("./reference") | undefined;
const reference = () => (referenceModule ??= require("./reference") as typeof import("./reference"));

export interface YamlDocument {
  /** The decoded document (JSON values); never null: empty documents are left out. */
  value: unknown;
  /** 1-based line of the document's first content line. */
  line: number;
}

/** YAML the API server would refuse: `file:line:col: message`. */
export class YamlError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${col}: YAML parse error: ${reason}`);
  }
}

export type Reading = "fast" | "reference";

/** Line starts of a text, for offset -> line:col. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo] + 1 };
}

/** Offset of the first line of a document that holds content (not blank, not a comment). */
function contentOffset(text: string): number {
  const m = /^[ \t]*[^\s#]/m.exec(text);
  return m ? m.index : 0;
}

/**
 * Decodes every document of `text`. `reading` forces one reading (tests compare them); by default
 * the fast one serves and the reference one decides what it declines.
 */
export function readYaml(text: string, file: string, reading?: Reading): YamlDocument[] {
  let starts: number[] | undefined;
  const at = (offset: number) => position((starts ??= lineStarts(text)), offset);
  let docs;
  try {
    docs = splitDocuments(text);
  } catch (e) {
    if (!(e instanceof SeparatorError)) throw e;
    const p = at(e.offset);
    throw new YamlError(file, p.line, p.col, e.message);
  }
  const out: YamlDocument[] = [];
  for (const doc of docs) {
    let value: unknown = reading === "reference" ? declined : decodeFast(doc.text);
    if (value === declined && reading === "fast") throw new Error(`${file}: the fast reading declined a document at offset ${doc.offset}`);
    if (value === declined) {
      try {
        value = reference().decodeReference(doc.text);
      } catch (e) {
        if (!(e instanceof reference().DecodeError)) throw e;
        const p = at(doc.offset + e.offset);
        throw new YamlError(file, p.line, p.col, e.message);
      }
    }
    if (value === undefined || value === null) continue;
    out.push({ value, line: at(doc.offset + contentOffset(doc.text)).line });
  }
  return out;
}
