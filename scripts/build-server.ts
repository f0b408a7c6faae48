/**
 * Provides the pinned bijux-atlas server and CLI binaries (PATH, then the versioned cache, then
 * `cargo install --locked`), with progress, and prints where they are.
 *
 *   npm run build-server
 */
import { ensureServerBinaries } from "../lib/toolchain/crates";

ensureServerBinaries()
  .then((b) => process.stdout.write(`bijux-atlas ${b.version} (${b.source}, ${(b.ms / 1000).toFixed(1)} s): ${b.server}, ${b.cli}\n`))
  .catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  });
