#!/usr/bin/env node
console.error("atlas-policy: not implemented yet");
process.exit(2);
