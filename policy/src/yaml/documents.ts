/**
 * Splits a YAML stream into documents the way kubectl does (k8s.io/apimachinery's YAMLReader):
 * line by line, a line starting with `---` ends a document; only spaces or a comment may follow
 * the separator on that line. Each document is then parsed on its own, as kubectl hands each one
 * to the API server.
 */

export interface DocumentText {
  /** The document's text, separator lines left out. */
  text: string;
  /** Offset of the document's first character in the stream. */
  offset: number;
}

/** A separator line with something other than a comment after `---`. */
export class SeparatorError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function splitDocuments(stream: string): DocumentText[] {
  const out: DocumentText[] = [];
  let start = 0;
  let pos = 0;
  while (pos < stream.length) {
    const nl = stream.indexOf("\n", pos);
    const end = nl === -1 ? stream.length : nl + 1;
    if (stream.startsWith("---", pos)) {
      const rest = stream.slice(pos + 3, end).trim();
      if (rest.length > 0 && rest[0] !== "#") throw new SeparatorError(`invalid Yaml document separator: ${rest}`, pos);
      if (pos > start) out.push({ text: stream.slice(start, pos), offset: start });
      start = end;
    }
    pos = end;
  }
  if (stream.length > start) out.push({ text: stream.slice(start), offset: start });
  return out;
}
