/**
 * The view cache behind `status --all --json` and `run list --json` (manifest/views/): a listing
 * served from the cache prints exactly what rendering every record prints, and a record changed in
 * any way — through the CLI without a manifest write (a gate inside a running run), by hand in a
 * record without a journal, a new run — or a damaged cache file is seen at once. No timing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, repoRoot, runr } from '../helpers/cli.js';

interface Generator {
  generateStore: (runsDir: string, count: number, opts?: { offset?: number }) => Promise<string[]>;
}

const dirs: string[] = [];
let dir = '';
let runsDir = '';
let cacheDir = '';

function put(rel: string, text: string | object): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), typeof text === 'string' ? text : `${JSON.stringify(text, null, 2)}\n`);
}

function cli(args: string[]): string {
  const r = runr(args, { cwd: dir, timeoutMs: 120_000 });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const LISTINGS = [
  ['status', '--all', '--json'],
  ['run', 'list', '--json'],
];
const CACHES = ['status', 'list'];

/** Each listing rendered from the records (no cache), then from the cache: the same bytes. */
function expectCacheAgrees(): Array<{ runs: Array<{ run_id: string; status: string; open_gate?: string | null }>; matched: number; total_runs: number }> {
  return LISTINGS.map((args, i) => {
    const cached = cli(args);
    fs.rmSync(path.join(cacheDir, CACHES[i] as string), { force: true });
    const fresh = cli(args);
    expect(cached, args.join(' ')).toBe(fresh);
    expect(cli(args), args.join(' ')).toBe(fresh);
    return JSON.parse(fresh) as { runs: Array<{ run_id: string; status: string; open_gate?: string | null }>; matched: number; total_runs: number };
  });
}

beforeAll(async () => {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  dir = fs.realpathSync(fs.mkdtempSync(path.join(base, 'runr-views-')));
  dirs.push(dir);
  runsDir = path.join(dir, '.runr', 'runs');
  cacheDir = path.join(runsDir, '.runs_manifest.json.views');
  spawnSync('git', ['init', '-q'], { cwd: dir });
  put('.runr/runr.config.json', {});
  for (const f of fs.readdirSync(path.join(fixtureDir, 'contracts'))) put(`orchestration/gates/contracts/${f}`, fs.readFileSync(path.join(fixtureDir, 'contracts', f), 'utf8'));
  put('.runr/workflows/visual-essay.json', fs.readFileSync(path.join(fixtureDir, 'workflows', 'visual-essay.json'), 'utf8'));
  put('orchestration/projects/views/INTAKE-APPROVAL.md', 'approved\n');
  const gen = (await import(path.join(repoRoot, 'test', 'fixtures', 'scale', 'generate-store.mjs'))) as Generator;
  await gen.generateStore(runsDir, 30);
}, 120_000);

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the view cache of the all-runs listings', () => {
  it('prints what the records say, and follows every change', () => {
    const [status, list] = expectCacheAgrees();
    expect(status?.runs).toHaveLength(30);
    expect(list?.runs).toHaveLength(30);
    expect(fs.readdirSync(cacheDir).sort()).toEqual(['list', 'status']);
    // A selection of every run (the filtered path, which only reads the cache) agrees.
    for (const [i, args] of LISTINGS.entries()) {
      const all = JSON.parse(cli([...(args as string[]), '--where', "run_id like 'run_%'"])) as { runs: unknown[] };
      expect(all.runs).toEqual([status, list][i]?.runs);
    }

    // A new run (the manifest changes): it comes first.
    const started = JSON.parse(cli(['run', 'start', '--workflow', 'visual-essay', '--slug', 'views', '--artifact-path', 'essays/views', '--json'])) as { run_id: string };
    const id = started.run_id;
    let [s] = expectCacheAgrees();
    expect(s?.runs[0]?.run_id).toBe(id);
    expect(s?.runs).toHaveLength(31);

    // Gate events inside a running run do not rewrite the manifest; the cache still sees them.
    cli(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'test']);
    const manifest = fs.readFileSync(path.join(runsDir, 'runs_manifest.json'), 'utf8');
    [s] = expectCacheAgrees();
    expect(s?.runs[0]?.open_gate).toBe('G1');
    cli(['gate', 'finish', '--run', id, '--gate', 'G1', '--json']);
    const statusNow = cli(['status', '--all', '--json']);
    expect((JSON.parse(statusNow) as { runs: Array<{ open_gate: string | null }> }).runs[0]?.open_gate).not.toBe('G1');
    expect(fs.readFileSync(path.join(runsDir, 'runs_manifest.json'), 'utf8')).toBe(manifest);
    expectCacheAgrees();
  });

  it('sees a hand edit of a record without a journal, and ignores a damaged cache file', () => {
    // A record written by another tool: RUN.json only.
    const id = 'run_20990101T000000000Z_the-word-robot_zz0001';
    const src = path.join(fixtureDir, 'runs', 'run_20260119T222303959Z_the-word-robot_uc2s1f', 'record', 'RUN.json');
    const rec = JSON.parse(fs.readFileSync(src, 'utf8').split('run_20260119T222303959Z_the-word-robot_uc2s1f').join(id)) as Record<string, unknown>;
    rec.started_at = '2099-01-01T00:00:00.000Z';
    fs.mkdirSync(path.join(runsDir, id, 'record'), { recursive: true });
    fs.writeFileSync(path.join(runsDir, id, 'record', 'RUN.json'), `${JSON.stringify(rec, null, 2)}\n`);
    cli(['manifest', 'rebuild', '--json']);
    let [s] = expectCacheAgrees();
    expect(s?.runs[0]?.run_id).toBe(id);
    const before = s?.runs[0]?.status;
    rec.status = before === 'FAILED' ? 'PASSED' : 'FAILED';
    fs.writeFileSync(path.join(runsDir, id, 'record', 'RUN.json'), `${JSON.stringify(rec, null, 2)}\n`);
    [s] = expectCacheAgrees();
    expect(s?.runs[0]?.status).toBe(rec.status);

    // Damaged caches: cut short, garbage, another shape. Each is ignored and replaced.
    const good = LISTINGS.map((args) => cli(args));
    for (const damage of [(f: string) => fs.truncateSync(f, 100), (f: string) => fs.writeFileSync(f, 'garbage\n'), (f: string) => fs.writeFileSync(f, Buffer.alloc(fs.statSync(f).size, 0x20))]) {
      for (const name of ['status', 'list']) damage(path.join(cacheDir, name));
      expect(LISTINGS.map((args) => cli(args))).toEqual(good);
      expect(LISTINGS.map((args) => cli(args))).toEqual(good);
    }
    // No temp file is left behind.
    expect(fs.readdirSync(cacheDir).sort()).toEqual(['list', 'status']);
  });
});
