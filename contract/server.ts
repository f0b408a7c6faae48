/**
 * The pinned bijux-atlas server: which crates, which version, which binaries, where they live in
 * the image. Everything that builds, packages or runs the server reads the pin from here; the
 * chart's appVersion and the Dockerfile carry a drift test against it.
 */

/** The published crates and the binary each installs. */
export const serverCrates = {
  server: { crate: "bijux-atlas-server", binary: "bijux-atlas-server" },
  cli: { crate: "bijux-atlas-cli", binary: "bijux-atlas" },
} as const;

/** The one pin: crates.io version of both crates (they are released together). */
export const serverVersion = "0.2.2";

/** The runtime crate whose `resources/contracts/env.schema.json` is the server's env allowlist. */
export const envContractCrate = { crate: "bijux-atlas-runtime", file: "resources/contracts/env.schema.json" } as const;

/** Directory of the binaries in the image (root-owned, read-only). */
export const imageBinDir = "/app";

/** Absolute path of each binary in the image. */
export const imageBinaries = {
  server: `${imageBinDir}/${serverCrates.server.binary}`,
  cli: `${imageBinDir}/${serverCrates.cli.binary}`,
} as const;
