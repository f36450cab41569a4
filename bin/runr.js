#!/usr/bin/env node
// Launcher: runs the bundled CLI (dist/cli.cjs, built by `npm run build`) through a V8 code cache
// kept in the user's cache directory, so start-up skips most compilation (Node 20 has no module
// compile cache of its own). The cache is made on first use, on this machine, for this Node and
// this bundle: nothing machine-specific ships in the package. Without a cache runr still runs, only
// slower; a cache V8 rejects is replaced. RUNR_CACHE_DIR moves it; RUNR_CACHE_DIR=off disables it.
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const source = fs.readFileSync(file, 'utf8');
const cacheFile = codeCachePath(source);
let cachedData;
if (cacheFile) {
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
if (cacheFile && (cachedData === undefined || script.cachedDataRejected) && !trivialInvocation(process.argv.slice(2))) {
  // Saved at exit, so the functions compiled on this run's path are in it.
  process.once('exit', () => saveCodeCache(cacheFile, script));
}
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));

/** The cache file for this bundle and this Node, or undefined when caching is off. */
function codeCachePath(text) {
  const configured = process.env.RUNR_CACHE_DIR;
  if (configured === 'off') return undefined;
  const base = configured || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'runr');
  // The bundle's length and a cheap checksum name it; V8 also checks the source itself.
  let sum = 0;
  for (let i = 0; i < text.length; i += 97) sum = (sum * 31 + text.charCodeAt(i)) >>> 0;
  return path.join(base, `cli-${process.version}-${process.arch}-${text.length}-${sum.toString(16)}.cache`);
}

/** `--version` and `--help` compile too little of the CLI to be worth caching. */
function trivialInvocation(args) {
  return args.length === 0 || args.some((a) => a === '--version' || a === '-V' || a === '--help' || a === '-h' || a === 'help');
}

function saveCodeCache(target, compiled) {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, compiled.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, target);
    pruneCodeCaches(path.dirname(target), target);
  } catch {
    // A read-only or missing home directory only costs speed.
  }
}

/** Each build or Node upgrade makes a new cache: keep the newest few, so the directory stays small. */
function pruneCodeCaches(dir, keep, max = 4) {
  const caches = fs
    .readdirSync(dir)
    .filter((n) => /^cli-.*\.cache$/.test(n) && path.join(dir, n) !== keep)
    .map((n) => ({ file: path.join(dir, n), mtime: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const c of caches.slice(max - 1)) fs.rmSync(c.file, { force: true });
}
