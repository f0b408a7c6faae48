#!/usr/bin/env node
// The checker is TypeScript; run it through ts-node (transpile only) so it works right after `npm ci`.
"use strict";
const path = require("path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "..", "tsconfig.json") });
const { main } = require("../src/cli");
process.exitCode = main(process.argv.slice(2));
