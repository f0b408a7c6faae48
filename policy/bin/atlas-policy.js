#!/usr/bin/env node
// The checker, compiled by `npm ci` (the workspace's prepare script) into dist/: nothing is
// compiled at run time.
"use strict";
let cli;
try {
  cli = require("../dist/policy/src/cli.js");
} catch (e) {
  if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes("dist/policy/src/cli.js")) {
    process.stderr.write("atlas-policy: the checker is not built; run `npm ci` (or `npm run build -w policy`) in the project\n");
    process.exit(2);
  }
  throw e;
}
process.exitCode = cli.main(process.argv.slice(2));
