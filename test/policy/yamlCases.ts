/**
 * YAML 1.1 as the API server reads it (go-yaml v2 through sigs.k8s.io/yaml): each case is a
 * document and the JSON it becomes, or `refused`. The same table is checked against the checker's
 * reader and against the reference reader built from sigs.k8s.io/yaml.
 */
export interface YamlCase {
  name: string;
  yaml: string;
  expect: unknown | "refused";
}

export const refused = "refused" as const;

const scalar = (name: string, text: string, value: unknown): YamlCase => ({ name: `${name}: ${text}`, yaml: `v: ${text}\n`, expect: { v: value } });

export const yamlCases: YamlCase[] = [
  // Booleans of YAML 1.1.
  ...["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"].map((t) => scalar("boolean true", t, true)),
  ...["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"].map((t) => scalar("boolean false", t, false)),
  ...["yEs", "nO", "oN", "tRUE"].map((t) => scalar("mixed case stays a string", t, t)),
  ...["'yes'", '"on"', "!!str no"].map((t) => scalar("quoted or tagged stays a string", t, t.replace(/^!!str |['"]/g, ""))),
  // Nulls.
  ...["~", "null", "Null", "NULL", ""].map((t) => scalar("null", t, null)),
  // Integers: YAML 1.1 octal, hex, binary, underscores, signs.
  scalar("octal with a leading 0", "017", 15),
  scalar("octal with 0o", "0o17", 15),
  scalar("hexadecimal", "0x1F", 31),
  scalar("hexadecimal with an underscore", "0x_1F", 31),
  scalar("binary", "0b101", 5),
  scalar("negative binary", "-0b11", -3),
  scalar("underscores", "1_000", 1000),
  scalar("plus sign", "+12", 12),
  scalar("double zero", "00", 0),
  scalar("not octal, so a float", "08", 8),
  scalar("beyond int64 (uint64)", "9223372036854775808", 9223372036854775808),
  // Floats.
  scalar("exponent", "1e3", 1000),
  scalar("leading dot", ".5", 0.5),
  scalar("negative leading dot", "-.5", -0.5),
  scalar("trailing dot", "3.", 3),
  scalar("underscores in a float", "685_230.15", 685230.15),
  scalar("small exponent", "1.5e-5", 1.5e-5),
  // What YAML 1.1 parsers elsewhere resolve but go-yaml does not: strings.
  scalar("sexagesimal", "1:20", "1:20"),
  scalar("sexagesimal float", "190:20:30.15", "190:20:30.15"),
  scalar("timestamp", "2001-12-14", "2001-12-14"),
  scalar("float out of range", "1e400", "1e400"),
  scalar("bare prefix", "0o", "0o"),
  scalar("invalid binary", "0b2", "0b2"),
  // Keys become JSON object keys.
  { name: "a y key is the boolean true", yaml: "y: 1\n", expect: { true: 1 } },
  { name: "an on key is the boolean true", yaml: "on: push\n", expect: { true: "push" } },
  { name: "an integer key", yaml: "1: a\n", expect: { "1": "a" } },
  { name: "a float key, formatted as float32", yaml: "3.14159265358979: a\n1e6: b\n", expect: { "3.1415927": "a", "1e+06": "b" } },
  { name: "a null key", yaml: "~: a\n", expect: refused },
  { name: "a sequence as key", yaml: "? [a]\n: 1\n", expect: refused },
  { name: "a uint64 key", yaml: "18446744073709551615: x\n", expect: refused },
  // Duplicate keys.
  { name: "a duplicate key", yaml: "a: 1\na: 2\n", expect: refused },
  { name: "y and true are the same key", yaml: "y: 1\ntrue: 2\n", expect: refused },
  // Merge keys.
  { name: "a merge key", yaml: "base: &b {p: 1, q: 2}\nd:\n  <<: *b\n  r: 3\n", expect: { base: { p: 1, q: 2 }, d: { p: 1, q: 2, r: 3 } } },
  { name: "a merge of a list of maps", yaml: "d:\n  <<: [{a: 1}, {b: 2}]\n  c: 3\n", expect: { d: { a: 1, b: 2, c: 3 } } },
  { name: "a merge overriding a key (a duplicate in strict mode)", yaml: "base: &b {p: 1, q: 2}\nd:\n  <<: *b\n  q: 3\n", expect: refused },
  { name: "a key then a merge of the same key", yaml: "base: &b {p: 1, q: 2}\nd:\n  q: 3\n  <<: *b\n", expect: refused },
  { name: "merged maps sharing a key", yaml: "d:\n  <<: [{a: 1}, {a: 2}]\n", expect: refused },
  { name: "a merge of a scalar", yaml: "d:\n  <<: 1\n", expect: refused },
  { name: "a quoted << is a plain key", yaml: "d:\n  '<<': 1\n", expect: { d: { "<<": 1 } } },
  // Tags and anchors.
  { name: "explicit !!int on a quoted scalar", yaml: 'v: !!int "12"\n', expect: { v: 12 } },
  { name: "explicit !!float on an integer", yaml: "v: !!float 1\n", expect: { v: 1 } },
  { name: "explicit !!int on text", yaml: "v: !!int abc\n", expect: refused },
  { name: "!!binary", yaml: "v: !!binary aGVsbG8=\n", expect: { v: "hello" } },
  { name: "an application tag keeps the text", yaml: "v: !foo bar\n", expect: { v: "bar" } },
  { name: "an alias", yaml: "a: &x 1\nb: *x\n", expect: { a: 1, b: 1 } },
  { name: "an unknown alias", yaml: "a: *nope\n", expect: refused },
  // Values JSON cannot hold.
  { name: "infinity", yaml: "v: .inf\n", expect: refused },
  { name: "not a number", yaml: "v: .NaN\n", expect: refused },
  // Directives: go-yaml v2 reads only YAML 1.1.
  { name: "a %YAML 1.2 directive", yaml: "%YAML 1.2\n---\na: yes\n", expect: refused },
];
