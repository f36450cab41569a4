// Build step: run the bundle once (like bin/runr.js does) and save V8's code cache at exit, so
// the functions compiled on that path load precompiled next time.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.resolve(process.argv[2]);
process.argv.splice(1, 2, file);
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
process.on('exit', () => fs.writeFileSync(`${file}.cache`, script.createCachedData()));
