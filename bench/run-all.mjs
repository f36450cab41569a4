/**
 * Run every `bench/*.bench.mjs` in sequence (alphabetical), each in its own Node process so one
 * bench's warm caches and heap do not skew the next. `npm run bench` builds first, then runs this.
 * Exits non-zero if any bench failed (crashed), after running all of them.
 *
 * The scale bench (stores of 1k and 10k runs, a few minutes) runs only when asked for:
 * `node bench/run-all.mjs --scale` (add `--100k` for the 100,000-run store), `RUNR_BENCH_SCALE=1`,
 * or by name (`node bench/run-all.mjs scale`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const only = args.filter((a) => !a.startsWith('--'));
const withScale = flags.includes('--scale') || process.env.RUNR_BENCH_SCALE === '1';
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => (only.length === 0 ? f !== 'scale.bench.mjs' || withScale : only.some((o) => f.includes(o))))
  .sort();

const failed = [];
for (const f of benches) {
  console.log(`\n=== ${f} ===`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(dir, f), ...(f === 'scale.bench.mjs' ? flags.filter((a) => a === '--100k') : [])], { stdio: 'inherit', cwd: path.dirname(dir) });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed.push(f);
    console.log(`=== ${f}: FAILED (exit ${r.status ?? r.signal}) after ${s} s ===`);
  } else console.log(`=== ${f}: ${s} s ===`);
}
if (benches.length === 0) console.log('no bench/*.bench.mjs found');
if (failed.length > 0) {
  console.error(`\n${failed.length} bench(es) failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
