/**
 * Turns schema issues and rule findings into one operator-facing message: every bad key as it
 * is written on the command line (`atlas:cluster.target`), the value received, what is allowed.
 * Credentials are never echoed.
 */
import { z } from "zod";
import type { Problem } from "./chartConstraints";
import { secretPaths } from "./schema";

/** The config namespace of this project's keys. */
export const configNamespace = "atlas";

/** `atlas:a.b[0].c`: the key path `pulumi config set --path` takes, with the namespace. */
export function keyPath(path: readonly (string | number | symbol)[]): string {
  const [head, ...rest] = path.map(String);
  const tail = rest.map((p) => (/^[0-9]+$/.test(p) ? `[${p}]` : `.${p}`)).join("");
  return `${configNamespace}:${head ?? ""}${tail}`;
}

/** Whether a key path is a credential's (set with --secret, never echoed). */
export function isSecretPath(path: readonly (string | number)[]): boolean {
  return secretPaths.some((s) => s.length === path.length && s.every((p, i) => p === path[i]));
}

/** A copy of `value` (found at `path`) with every credential replaced by "[secret]". */
function redact(value: unknown, path: (string | number)[]): unknown {
  if (isSecretPath(path)) return value === undefined ? undefined : "[secret]";
  if (Array.isArray(value)) return value.map((v, i) => redact(v, [...path, i]));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, [...path, k])]));
  }
  return value;
}

/** How a received value is shown: JSON, credentials redacted, long values shortened. */
export function showReceived(value: unknown, path: (string | number)[]): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(redact(value, path));
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** zod's generic wording; issues carrying it get a sentence built from their fields instead. */
const genericMessage = /^(Invalid|Too (small|big)|Unrecognized)/;

function describeAllowed(issue: z.core.$ZodIssue): string {
  if (!genericMessage.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const word = issue.code === "too_small" ? "at least" : "at most";
      if (issue.origin === "array" || issue.origin === "set") return `${word} ${bound} item(s)`;
      if (issue.origin === "string") return `${word} ${bound} character(s)`;
      const op = issue.code === "too_small" ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
      return `a number ${op} ${bound}`;
    }
    case "invalid_format":
      return issue.pattern ? `a string matching ${issue.pattern}` : `a valid ${issue.format}`;
    case "invalid_key":
      return issue.issues.map(describeAllowed).join("; ");
    case "invalid_union":
      return issue.errors.flat().map(describeAllowed).join(", or ") || "one of the documented forms";
    default:
      return issue.message;
  }
}

/** Schema issues as problems; `raw` is the config as written, for the received values. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): Problem[] {
  const valueAt = (path: readonly PropertyKey[]) =>
    path.reduce<any>((cur, p) => (cur !== null && typeof cur === "object" ? cur[p as any] : undefined), raw);
  return issues.flatMap((issue): Problem[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...path, key], received: valueAt([...path, key]), allowed: issue.message }));
    }
    // A discriminated union reports a bad discriminator at the object; point at the discriminator itself.
    if (issue.code === "invalid_union" && "discriminator" in issue && typeof issue.discriminator === "string") {
      const at = [...path];
      if (at[at.length - 1] !== issue.discriminator) at.push(issue.discriminator);
      return [{ path: at, received: valueAt(at), allowed: describeAllowed(issue) }];
    }
    return [{ path, received: valueAt(path), allowed: describeAllowed(issue) }];
  });
}

/** One line per problem, sorted by key so the message reads like the stack file. */
export function formatProblems(problems: readonly Problem[]): string[] {
  return [...problems]
    .sort((a, b) => keyPath(a.path).localeCompare(keyPath(b.path)))
    .map((p) => `${keyPath(p.path)}: received ${showReceived(p.received, p.path)}; allowed: ${p.allowed}`);
}
