#!/usr/bin/env node
// Launcher: runs the bundled CLI (dist/cli.cjs, built by `npm run build`) with its V8 code cache,
// so start-up skips most compilation (see scripts/bundle.mjs). Without the cache it still runs.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
let cachedData;
try {
  cachedData = fs.readFileSync(`${file}.cache`);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
