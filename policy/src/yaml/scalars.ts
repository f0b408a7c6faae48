/**
 * Scalars as go-yaml v2 resolves them (YAML 1.1 as the API server and kubectl read manifests,
 * through sigs.k8s.io/yaml) and map keys as sigs.k8s.io/yaml turns them into JSON object keys.
 */

export const tags = {
  str: "tag:yaml.org,2002:str",
  int: "tag:yaml.org,2002:int",
  float: "tag:yaml.org,2002:float",
  bool: "tag:yaml.org,2002:bool",
  null: "tag:yaml.org,2002:null",
  timestamp: "tag:yaml.org,2002:timestamp",
  binary: "tag:yaml.org,2002:binary",
  merge: "tag:yaml.org,2002:merge",
} as const;

/** A resolved scalar: its YAML type and its value (numbers beyond 2^53 lose precision as JSON readers do). */
export interface Resolved {
  tag: string;
  value: null | boolean | number | string;
  /** The exact integer, for integers. */
  integer?: bigint;
  /** Set for integers outside the signed 64-bit range (Go decodes them as uint64). */
  unsigned?: boolean;
}

const table = new Map<string, Resolved>();
const add = (tag: string, value: Resolved["value"], words: string[]) => words.forEach((w) => table.set(w, { tag, value }));
add(tags.bool, true, ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
add(tags.bool, false, ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
add(tags.null, null, ["", "~", "null", "Null", "NULL"]);
add(tags.float, NaN, [".nan", ".NaN", ".NAN"]);
add(tags.float, Infinity, [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]);
add(tags.float, -Infinity, ["-.inf", "-.Inf", "-.INF"]);

/** First characters after which go-yaml tries more than a string (its resolve table). */
function hint(c: string | undefined): "S" | "D" | "M" | "." | undefined {
  if (c === undefined) return "M";
  if (c === "+" || c === "-") return "S";
  if (c >= "0" && c <= "9") return "D";
  if ("yYnNtTfFoO~".includes(c)) return "M";
  if (c === ".") return ".";
  return undefined;
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const uint64Max = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) syntax, as a BigInt, or undefined. */
function parseGoInt(s: string, signed: boolean): bigint | undefined {
  let sign = 1n;
  let body = s;
  if (signed && (body[0] === "+" || body[0] === "-")) {
    if (body[0] === "-") sign = -1n;
    body = body.slice(1);
  }
  let digits: string;
  let radix: string;
  if (/^0[xX]/.test(body)) [radix, digits] = ["0x", body.slice(2)];
  else if (/^0[oO]/.test(body)) [radix, digits] = ["0o", body.slice(2)];
  else if (/^0[bB]/.test(body)) [radix, digits] = ["0b", body.slice(2)];
  else if (body.length > 1 && body[0] === "0") [radix, digits] = ["0o", body.slice(1)];
  else [radix, digits] = ["", body];
  const valid = { "0x": /^[0-9a-fA-F]+$/, "0o": /^[0-7]+$/, "0b": /^[01]+$/, "": /^[0-9]+$/ }[radix]!;
  if (!valid.test(digits)) return undefined;
  const n = sign * BigInt(radix + digits);
  if (signed ? n < int64Min || n > int64Max : n > uint64Max) return undefined;
  return n;
}

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseFloat(s, 64) for the decimal forms go-yaml hands it; undefined when out of range or malformed. */
function parseGoFloat(s: string): number | undefined {
  if (!yamlStyleFloat.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

const intResult = (n: bigint): Resolved => ({ tag: tags.int, value: Number(n), integer: n, ...(n > int64Max ? { unsigned: true } : {}) });

/** go-yaml v2's resolve() for an untagged plain scalar. */
export function resolvePlain(text: string): Resolved {
  const h = hint(text[0]);
  if (h === undefined) return { tag: tags.str, value: text };
  const known = table.get(text);
  if (known) return known;
  if (h === ".") {
    // strconv.ParseFloat on the text as written (no underscores removed).
    const v = /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : undefined;
    return v !== undefined && Number.isFinite(v) ? { tag: tags.float, value: v } : { tag: tags.str, value: text };
  }
  if (h === "D" || h === "S") {
    if (isTimestamp(text)) return { tag: tags.timestamp, value: text };
    const plain = text.replace(/_/g, "");
    const i = parseGoInt(plain, true);
    if (i !== undefined) return intResult(i);
    const u = parseGoInt(plain, false);
    if (u !== undefined) return intResult(u);
    const f = parseGoFloat(plain);
    if (f !== undefined) return { tag: tags.float, value: f };
  }
  return { tag: tags.str, value: text };
}

/**
 * The timestamp forms go-yaml v2 recognises (time.Parse layouts "2006-1-2T15:4:5.999999999Z07:00",
 * its lower-case t variant, "2006-1-2 15:4:5.999999999" and "2006-1-2"). Unmarshalled into JSON
 * they stay the string as written; the form matters only under an explicit !!timestamp tag.
 */
export function isTimestamp(text: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  if (!m) return false;
  const [, y, mo, d, sep, h, mi, s, zone] = m;
  if (sep === " " ? zone !== undefined : sep !== undefined && zone === undefined) return false;
  const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  return Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= days && (h === undefined || (Number(h) < 24 && Number(mi) < 60 && Number(s) < 60));
}

/** A tag go-yaml resolves itself; any other tag leaves the scalar as its text. */
const resolvable = new Set<string>([tags.str, tags.bool, tags.int, tags.float, tags.null, tags.timestamp]);

/** go-yaml v2's decoding of a scalar with an explicit tag: the value, or an error message. */
export function resolveTagged(tag: string, text: string): Resolved | { error: string } {
  if (tag === tags.binary) {
    const clean = text.replace(/[\r\n]/g, "");
    if (!/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) return { error: "!!binary value contains invalid base64 data" };
    return { tag: tags.str, value: Buffer.from(clean, "base64").toString("utf8") };
  }
  if (!resolvable.has(tag) || tag === tags.str) return { tag: tags.str, value: text };
  const r = resolvePlain(text);
  if (r.tag === tag) return r;
  if (tag === tags.float && r.tag === tags.int) return { tag: tags.float, value: r.value };
  return { error: `cannot decode ${shortTag(r.tag)} \`${text}\` as a ${shortTag(tag)}` };
}

export const shortTag = (tag: string) => (tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag);

/** Go's strconv.FormatFloat(f, 'g', -1, 32): the shortest float32 digits, exponent form outside [1e-4, 1e6). */
export function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return ".nan";
  if (f === Infinity) return ".inf";
  if (f === -Infinity) return "-.inf";
  const f32 = Math.fround(f);
  if (f32 === 0) return Object.is(f32, -0) ? "-0" : "0";
  // Shortest decimal that reads back as the same float32.
  let digits = "";
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const [m, e] = f32.toExponential(p - 1).split("e");
    if (Math.fround(Number(`${m}e${e}`)) === f32) {
      digits = m.replace("-", "").replace(".", "").replace(/0+$/, "") || "0";
      exp = Number(e);
      break;
    }
  }
  const sign = f32 < 0 ? "-" : "";
  // Go's %g with the shortest precision: exponent form when exp < -4 || exp >= 6.
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${es}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
