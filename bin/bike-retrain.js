#!/usr/bin/env node
// Installed entry: runs the compiled CLI (npm run build), or the TypeScript sources through tsx in a checkout.
// Commands load their modules with `import()`, so in a checkout tsx's ESM hooks are registered as well as its CJS ones.
// On Node >= 22.1, V8's code cache for every module loaded after this line (a no-op on Node 20).
require('node:module').enableCompileCache?.();
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const compiled = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (existsSync(compiled)) require(compiled);
// `import('tsx')` is what `node --import tsx` does: it registers both.
else import('tsx').then(() => require(join(__dirname, '..', 'src', 'cli', 'main.ts')));
