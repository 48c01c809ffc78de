#!/usr/bin/env node
// Installed entry: runs the compiled CLI (npm run build), or the TypeScript sources through tsx in a checkout.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const compiled = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (existsSync(compiled)) require(compiled);
else {
  require('tsx/cjs');
  require(join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
