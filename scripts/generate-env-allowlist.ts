/**
 * Regenerates contract/serverEnvAllowlist.generated.ts from the pinned server's env contract
 * (the runtime crate's resources/contracts/env.schema.json). Run it after bumping serverVersion.
 *
 *   npx ts-node --transpile-only scripts/generate-env-allowlist.ts
 */
import { writeAllowlistModule } from "../lib/server/envContract";

writeAllowlistModule().then(
  (file) => process.stdout.write(`wrote ${file}\n`),
  (err: Error) => {
    process.stderr.write(`generate-env-allowlist: ${err.message}\n`);
    process.exit(1);
  },
);
