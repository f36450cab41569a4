#!/usr/bin/env node
'use strict';
// Launcher: runs the bundled CLI (dist/cli.cjs, built by `npm run build`) through a V8 code cache
// kept in the user's cache directory, so start-up skips most compilation (Node 20 has no module
// compile cache of its own). The cache is made on first use, on this machine, for this Node and
// this bundle: nothing machine-specific ships in the package. Without a cache runr still runs, only
// slower; a cache V8 rejects is replaced. RUNR_CACHE_DIR moves it; RUNR_CACHE_DIR=off disables it.
//
// This file is CommonJS (bin/package.json): an ES module entry point makes Node set up its ESM
// loader, and every `import` of a builtin builds a facade of all its exports (fs's loads
// fs/promises, streams and readline), which cost more than the rest of `runr --version`.
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const version = packageVersion();
  if (version !== undefined) {
    process.stdout.write(`${version}\n`);
    return;
  }
}

const file = path.join(__dirname, '..', 'dist', 'cli.cjs');
const source = readBundle(file);
const vm = require('node:vm');
const Module = require('node:module');
const cacheFile = codeCachePath(source, file);
const cachedData = cacheFile === undefined ? undefined : readCodeCache(cacheFile);
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
if (cacheFile && (cachedData === undefined || script.cachedDataRejected) && !trivialInvocation(args)) {
  // Saved at exit, so the functions compiled on this run's path are in it.
  process.once('exit', () => saveCodeCache(cacheFile, script));
}
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));

/**
 * The bundle's text. esbuild writes it in ASCII (non-ASCII characters escaped), and decoding it as
 * Latin-1 is a copy where UTF-8 is a decode: checked with isAscii, else decoded as UTF-8.
 */
function readBundle(target) {
  const bytes = fs.readFileSync(target);
  const { isAscii } = require('node:buffer');
  return typeof isAscii === 'function' && isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
}

/**
 * `runr --version` alone is answered here, without loading the CLI: the version of the package this
 * launcher belongs to (the same one src/core/version.ts holds: test/unit/version.test.ts). Anything
 * unexpected in package.json falls back to the CLI's own answer.
 */
function packageVersion() {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    const v = pkg !== null && typeof pkg === 'object' && pkg.name === 'runr' ? pkg.version : undefined;
    return typeof v === 'string' && /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cache file for this bundle and this Node, or undefined when caching is off. The bundle's first
 * line carries the sha256 of the rest (scripts/bundle.mjs), so a rebuilt bundle never meets the
 * cache of another one even at the same length (V8's own check compares the source's length only);
 * the length and a sampled checksum of the text guard a bundle edited by hand after the build.
 */
function codeCachePath(text, bundlePath) {
  const configured = process.env.RUNR_CACHE_DIR;
  if (configured === 'off') return undefined;
  const m = /^\/\/ runr-bundle sha256:([0-9a-f]{64})\n/.exec(text.slice(0, 100));
  if (m === null) return undefined; // not a bundle built by scripts/bundle.mjs: no cache at all
  const base = configured || path.join(process.env.XDG_CACHE_HOME || path.join(require('node:os').homedir(), '.cache'), 'runr');
  let sum = 0;
  for (let i = 0; i < text.length; i += 97) sum = (sum * 31 + text.charCodeAt(i)) >>> 0;
  // The bundle's path too: V8 keeps the file name a cache was made under, so two checkouts of the
  // same build sharing one cache would print each other's paths in stack traces.
  let where = 0;
  for (let i = 0; i < bundlePath.length; i++) where = (where * 31 + bundlePath.charCodeAt(i)) >>> 0;
  return path.join(base, `cli-${process.version}-${process.arch}-${m[1].slice(0, 16)}-${text.length}-${sum.toString(16)}-${where.toString(16)}.cache`);
}

/**
 * The cache's bytes, or undefined when it is missing or not to be trusted: not a regular file, not
 * owned by this user, writable by others, or implausibly large. V8 then checks the data itself
 * (magic, V8 version, flags, source length) and rejects a mismatch (`cachedDataRejected`).
 */
function readCodeCache(target) {
  let fd;
  try {
    fd = fs.openSync(target, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const st = fs.fstatSync(fd);
    const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
    if (!st.isFile() || !mine || (st.mode & 0o022) !== 0 || st.size === 0 || st.size > 64 << 20) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = fs.readSync(fd, buf, off, st.size - off, off);
      if (n === 0) return undefined;
      off += n;
    }
    return buf;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** `--version` and `--help` compile too little of the CLI to be worth caching. */
function trivialInvocation(argv) {
  return argv.length === 0 || argv.some((a) => a === '--version' || a === '-V' || a === '--help' || a === '-h' || a === 'help');
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

/**
 * Each build or Node upgrade makes a new cache. The directory is shared by every checkout of runr
 * on the machine (the bundle's path is part of each name, the last field), so a checkout prunes
 * only its own older caches (keeping one, for a rebuild switched back), and the directory as a
 * whole is capped at `max` files, oldest first: several checkouts in use do not evict each other.
 */
function pruneCodeCaches(dir, keep, perCheckout = 2, max = 32) {
  const where = (n) => n.slice(n.lastIndexOf('-') + 1);
  const mine = where(path.basename(keep));
  const caches = fs
    .readdirSync(dir)
    .filter((n) => /^cli-.*\.cache$/.test(n) && path.join(dir, n) !== keep)
    .map((n) => ({ file: path.join(dir, n), same: where(n) === mine, mtime: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  const own = caches.filter((c) => c.same);
  const others = caches.filter((c) => !c.same);
  const ownKept = own.slice(0, perCheckout - 1);
  const room = Math.max(0, max - 1 - ownKept.length);
  const stale = [...own.slice(perCheckout - 1), ...others.slice(room)];
  for (const c of stale) fs.rmSync(c.file, { force: true });
}
