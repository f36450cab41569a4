// Bundles the CLI (src/cli/main.ts) into one CommonJS file, dist/cli.cjs. Why: Node 20 has no
// module compile cache, and loading ~150 small ESM files (zod alone is ~95) costs 2-3x a bare
// `node` start; one file whose compiled code comes from a V8 code cache keeps start-up near bare
// node. bin/runr.js makes that cache on first use in the user's cache directory (a cache is only
// valid for one Node version, so none ships in the package). Command modules stay lazy: esbuild
// turns `await import()` into deferred initialisers inside the bundle.
// The library entry (dist/index.js) and helper entry points stay the plain tsc output.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** The bundle's first line; bin/runr.js keys its code cache by the sha256 of the rest of the file. */
const HASH_LINE = '// runr-bundle sha256:';
const PLACEHOLDER = '0'.repeat(64);

/**
 * commander requires node:child_process at load time only to spawn executable subcommands, which
 * runr never uses; loading that builtin costs ~6 ms of every start. Defer it to first use.
 */
function lazyChildProcessInCommander() {
  return {
    name: 'lazy-child-process-in-commander',
    setup(b) {
      b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
        const src = await fs.promises.readFile(args.path, 'utf8');
        const eager = "const childProcess = require('node:child_process');";
        if (!src.includes(eager)) return undefined; // a newer commander: leave it alone
        const lazy = "const childProcess = { get spawn() { return require('node:child_process').spawn; } };";
        return { contents: src.replace(eager, lazy), loader: 'js' };
      });
    },
  };
}

/**
 * esbuild gives every module that does `import fs from 'node:fs'` its own namespace object, a copy
 * of all of fs's properties as getters (`__toESM`): about 200 copies of fs and path at start-up.
 * The namespace of a module object is the same every time, so make one per module object and share
 * it. Rewrites the helper only when it is exactly the one this was written for, into a call of a
 * function declared after the last line of code, padded to the same length so the source map stays
 * exact; otherwise the bundle is left as esbuild made it.
 */
function shareBuiltinNamespaces(text) {
  const helper = 'var __toESM=(mod,isNodeMode,target)=>(target=mod!=null?__create(__getProtoOf(mod)):{},__copyProps(isNodeMode||!mod||!mod.__esModule?__defProp(target,"default",{value:mod,enumerable:!0}):target,mod));';
  const at = text.indexOf(helper);
  const mapAt = text.lastIndexOf('\n//# sourceMappingURL=');
  if (at === -1 || text.indexOf(helper, at + 1) !== -1 || mapAt === -1) return text;
  const call = 'var __toESM=(mod,isNodeMode)=>__runrSharedNamespace(mod,isNodeMode);';
  const shared =
    'function __runrSharedNamespace(mod,isNodeMode){' +
    'const make=()=>{const target=mod!=null?__create(__getProtoOf(mod)):{};return __copyProps(isNodeMode||!mod||!mod.__esModule?__defProp(target,"default",{value:mod,enumerable:!0}):target,mod)};' +
    'if(mod==null||typeof mod!="object"&&typeof mod!="function")return make();' +
    'const seen=__runrSharedNamespace.seen??=new WeakMap;let pair=seen.get(mod);if(pair===void 0)seen.set(mod,pair=[void 0,void 0]);' +
    'const k=isNodeMode?1:0;return pair[k]??=make()}';
  return text.slice(0, at) + call.padEnd(helper.length, ' ') + text.slice(at + helper.length, mapAt) + '\n' + shared + text.slice(mapAt);
}

/**
 * node:crypto costs 7-20 ms to load on this 2-core machine (about 20 internal modules), and every
 * module that imports it loads it at its initialisation, though a command such as `status` never
 * hashes or draws a random id. Named imports of it (`import { createHash } from 'node:crypto'`
 * compiles to `import_x = require("node:crypto")` and `(0, import_x.createHash)(…)`) get a stand-in
 * that requires the builtin on first property access. Each replacement keeps the text's length
 * (padded with spaces) so the source map stays exact; the helper is declared after the last line
 * of code, like the one above.
 */
function lazyBuiltins(text) {
  const eager = 'require("node:crypto")';
  const lazy = '__rLz("node:crypto")'.length <= eager.length ? '__rLz("node:crypto")' : null;
  const mapAt = text.lastIndexOf('\n//# sourceMappingURL=');
  if (lazy === null || mapAt === -1) return text;
  // Only plain assignments (`name=require(...)`): a default import goes through __toESM, which copies every property anyway.
  const body = text.slice(0, mapAt).replace(/([A-Za-z_$][\w$]*)=require\("node:crypto"\)/g, (_m, name) => `${name}=${lazy.padEnd(eager.length, ' ')}`);
  const helper =
    'function __rLz(id){let m;const l=()=>m??=require(id);' +
    'return new Proxy({},{get:(_,k)=>l()[k],has:(_,k)=>k in l(),ownKeys:()=>Reflect.ownKeys(l()),' +
    'getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(l(),k);return d&&{...d,configurable:!0}}})}';
  return body + '\n' + helper + text.slice(mapAt);
}

/**
 * zod's index re-exports every locale (`z.locales`, about 300 KB of the bundle's 1.9 MB, each one
 * initialised at load). The CLI never switches locale: English, which zod installs itself on the
 * first schema it builds, is the only one it needs. In the bundle only, `locales` holds just `en`
 * (library users load zod from node_modules, whole).
 */
function englishOnlyZodLocales() {
  return {
    name: 'english-only-zod-locales',
    setup(b) {
      b.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, async (args) => {
        const src = await fs.promises.readFile(args.path, 'utf8');
        const en = 'export { default as en } from "./en.js";';
        if (!src.includes(en)) return undefined; // a newer zod: leave it alone
        return { contents: `${en}\n`, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

fs.rmSync('dist/bundle', { recursive: true, force: true });
fs.rmSync('dist/cli.cjs.cache', { force: true });
const result = await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  // Whitespace and syntax only: smaller to compile, and stack traces of bugs keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // The queue's drivers load from node_modules at run time (only `submit`/`worker`/`queue` need them).
  external: ['bullmq', 'pg', 'ioredis'],
  plugins: [lazyChildProcessInCommander(), englishOnlyZodLocales()],
  banner: { js: `${HASH_LINE}${PLACEHOLDER}` },
});
let out = fs.readFileSync('dist/cli.cjs', 'utf8');
out = lazyBuiltins(shareBuiltinNamespaces(out));
if (!out.startsWith(`${HASH_LINE}${PLACEHOLDER}\n`)) throw new Error('bundle: the hash line is not the first line of dist/cli.cjs');
const rest = out.slice(HASH_LINE.length + PLACEHOLDER.length);
// Same length as the placeholder, so the source map's lines and columns stay right.
const digest = crypto.createHash('sha256').update(rest).digest('hex');
fs.writeFileSync('dist/cli.cjs', `${HASH_LINE}${digest}${rest}`);
if (process.env.RUNR_BUNDLE_REPORT) fs.writeFileSync('dist/bundle-meta.json', JSON.stringify(result.metafile));
