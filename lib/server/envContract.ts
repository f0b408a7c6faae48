/**
 * The pinned server's env contract, read from the file it embeds at build time
 * (`resources/contracts/env.schema.json` of the runtime crate, at the version the server crate's
 * Cargo.lock pins), and the committed TypeScript module generated from it. A server bump that
 * renames or drops a key changes the generated module, and the drift test says so.
 */
import * as fs from "fs";
import * as path from "path";
import { envContractCrate, serverCrates } from "../../contract/server";
import { repoRoot } from "../paths";
import { crateSourceDir, lockedVersion } from "../toolchain/crates";

export interface ServerEnvContract {
  /** Names the server accepts under the enforced prefixes, in the file's order. */
  readonly allowed: readonly string[];
  /** Prefixes whose unknown names stop the server at start. */
  readonly enforcedPrefixes: readonly string[];
  /** The variable that turns the check off (for local development only). */
  readonly devAllowUnknown: string;
  /** `<crate>@<version>` the contract was read from. */
  readonly source: string;
}

/** The committed module generated from the contract. */
export const generatedAllowlistPath = path.join(repoRoot, "contract", "serverEnvAllowlist.generated.ts");

/** Parses the contract file's JSON; throws naming the file when a field is missing or malformed. */
export function parseEnvContract(json: string, source: string): ServerEnvContract {
  const doc = JSON.parse(json) as { allowed_env?: unknown; enforced_prefixes?: unknown; dev_mode_allow_unknown_env?: unknown };
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!strings(doc.allowed_env) || !strings(doc.enforced_prefixes) || typeof doc.dev_mode_allow_unknown_env !== "string") {
    throw new Error(`${source}: expected allowed_env and enforced_prefixes (string arrays) and dev_mode_allow_unknown_env (a string)`);
  }
  return { allowed: doc.allowed_env, enforcedPrefixes: doc.enforced_prefixes, devAllowUnknown: doc.dev_mode_allow_unknown_env, source };
}

/** Reads the contract from the runtime crate's source (cargo fetches it when it is not unpacked yet). */
export async function readServerEnvContract(env: NodeJS.ProcessEnv = process.env): Promise<ServerEnvContract> {
  const serverDir = await crateSourceDir(serverCrates.server.crate, env);
  const version = lockedVersion(serverDir, envContractCrate.crate);
  const dir = await crateSourceDir(envContractCrate.crate, env);
  const file = path.join(dir, envContractCrate.file);
  return parseEnvContract(fs.readFileSync(file, "utf8"), `${envContractCrate.crate}@${version}`);
}

/** The text of contract/serverEnvAllowlist.generated.ts for a contract. */
export function renderAllowlistModule(contract: ServerEnvContract): string {
  return [
    `// Generated from ${contract.source} ${envContractCrate.file}; do not edit.`,
    `// Regenerate with: npx ts-node --transpile-only scripts/generate-env-allowlist.ts`,
    `/** The pinned server's env allowlist: any other name with an ${contract.enforcedPrefixes.join(" or ")} prefix stops it at start. */`,
    `export const serverEnvAllowlist: readonly string[] = [`,
    ...contract.allowed.map((name) => `  ${JSON.stringify(name)},`),
    `];`,
    ``,
    `/** Prefixes the server checks against the allowlist. */`,
    `export const serverEnvEnforcedPrefixes: readonly string[] = ${JSON.stringify(contract.enforcedPrefixes)};`,
    ``,
    `/** The variable that disables the check; for local development only, never rendered by the chart. */`,
    `export const serverEnvDevAllowUnknown = ${JSON.stringify(contract.devAllowUnknown)};`,
    ``,
  ].join("\n");
}

/** Writes the generated module; returns its path. */
export async function writeAllowlistModule(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  fs.writeFileSync(generatedAllowlistPath, renderAllowlistModule(await readServerEnvContract(env)));
  return generatedAllowlistPath;
}
