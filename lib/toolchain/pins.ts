import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../paths";


/** Where the pinned Go build modules live, one directory per binary family. */
export const buildModulesDir = path.join(repoRoot, "tools", "pulumi-build");

/** Directory holding the policy-pack launcher the bootstrap puts on PATH. */
export const launcherDir = path.join(__dirname, "bin");

/** A resource provider the stacks use, and the npm package that fixes its version. */
export interface ProviderPin {
  /** Plugin name, as in `pulumi-resource-<name>`. */
  readonly name: string;
  /** The npm SDK package whose version is the provider version the program requests. */
  readonly npmPackage: string;
  /** Version the program requests (the SDK's version, without a leading `v`). */
  readonly version: string;
}

/** The versions package.json pins: the CLI follows @pulumi/pulumi, each provider its SDK. */
export interface Pins {
  /** Pulumi CLI version, without a leading `v`. */
  readonly cli: string;
  /** Providers by plugin name. */
  readonly providers: Readonly<Record<string, ProviderPin>>;
}

/** Plugin name of each provider SDK in package.json. */
const providerPackages: Readonly<Record<string, string>> = {
  kubernetes: "@pulumi/kubernetes",
  command: "@pulumi/command",
  random: "@pulumi/random",
};

const exactVersion = /^v?(\d+\.\d+\.\d+)$/;

function pinnedVersion(deps: Record<string, string>, pkg: string): string {
  const spec = deps[pkg];
  const match = spec === undefined ? null : exactVersion.exec(spec);
  if (!match) {
    throw new Error(
      `package.json must pin ${pkg} to an exact version (x.y.z) so the toolchain can match it; found ${JSON.stringify(spec)}`,
    );
  }
  return match[1];
}

/** Reads the pinned versions from package.json (`packageJsonPath` defaults to the repository's). */
export function readPins(packageJsonPath = path.join(repoRoot, "package.json")): Pins {
  const manifest = JSON.parse(fs.readFileSync(packageJsonPath, "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const deps = manifest.dependencies ?? {};
  const providers: Record<string, ProviderPin> = {};
  for (const [name, npmPackage] of Object.entries(providerPackages)) {
    if (deps[npmPackage] === undefined) continue;
    providers[name] = { name, npmPackage, version: pinnedVersion(deps, npmPackage) };
  }
  return { cli: pinnedVersion(deps, "@pulumi/pulumi"), providers };
}

/** Names of the providers package.json pins, for error messages. */
export function knownProviders(pins: Pins): string[] {
  return Object.keys(pins.providers).sort();
}

/**
 * Version a pinned build module requires of `modulePath`, read from its go.mod (so the cache can
 * be consulted on a machine without Go). Only the `path version` form of a require line is used.
 */
export function buildModuleVersion(moduleDir: string, modulePath: string): string {
  const goMod = path.join(moduleDir, "go.mod");
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(fs.readFileSync(goMod, "utf8"));
  if (!match) throw new Error(`${goMod} does not require ${modulePath}`);
  return match[1].replace(/^v/, "");
}
