/**
 * Correctness at scale (issue 12), no timing: a store of 20,000 generated runs answers exactly as a
 * small store holding only its newest runs — `status <id>`, prefix resolution, `latest`, the listing
 * filters — and a task run in it leaves the manifest right (every other line untouched).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runr, runrBin } from '../helpers/cli.js';

interface Generator {
  generateStore: (runsDir: string, count: number, opts?: { offset?: number }) => Promise<string[]>;
  MIX: string[];
}

const BIG = 20_000;
const SMALL = 60;
const dirs: string[] = [];

function put(dir: string, rel: string, text: string | object): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), typeof text === 'string' ? text : `${JSON.stringify(text, null, 2)}\n`);
}

function git(cwd: string, args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** In memory when the machine has it: writing 20,000 run directories is mostly mkdir and write. */
function tempBase(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/** A project with a scripted 2-milestone task; its runs directory is ignored (nothing to commit). */
function project(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(tempBase(), 'runr-scale-')));
  dirs.push(dir);
  git(dir, ['init', '-q']);
  git(dir, ['config', 'user.email', 'test@runr.local']);
  git(dir, ['config', 'user.name', 'test']);
  put(dir, 'README.md', '# scale\n');
  put(dir, '.gitignore', '.runr/runs/\n.runr/worktrees/\n');
  put(dir, '.runr/runr.config.json', {
    scope: { allowlist: ['src/**'] },
    verification: { tier0: ['true'] },
    workers: { scripted: { adapter: 'scripted', script: '.runr/script.json' } },
  });
  put(dir, '.runr/script.json', {
    plan: { milestones: [{ goal: 'Add a', files_expected: ['src/a.ts'] }, { goal: 'Add b', files_expected: ['src/b.ts'] }] },
    milestones: { m1: { implement: [{ write: { 'src/a.ts': 'export const a = 1;\n' } }] }, m2: { implement: [{ write: { 'src/b.ts': 'export const b = 2;\n' } }] } },
  });
  put(dir, '.runr/tasks/t.md', '# Add a and b\n\n## Goal\nTwo files\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'init']);
  return dir;
}

let big = '';
let small = '';
let ids: string[] = [];

beforeAll(async () => {
  const gen = (await import(path.join(repoRoot, 'test', 'fixtures', 'scale', 'generate-store.mjs'))) as Generator;
  big = project();
  small = project();
  ids = await gen.generateStore(path.join(big, '.runr', 'runs'), BIG);
  // The small store holds the big one's newest runs, under the same ids.
  const newest = await gen.generateStore(path.join(small, '.runr', 'runs'), SMALL, { offset: BIG - SMALL });
  expect(newest).toEqual(ids.slice(BIG - SMALL));
}, 240_000);

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** stdout, exit code and stderr of a command, in both stores. */
function both(args: string[]): Array<{ status: number | null; stdout: string; stderr: string }> {
  return [big, small].map((cwd) => runr(args, { cwd, timeoutMs: 120_000 }));
}

function sameIn(args: string[]): string {
  const [b, s] = both(args);
  expect(b?.status, `${args.join(' ')}: ${b?.stderr}`).toBe(s?.status);
  expect(b?.stdout).toBe(s?.stdout);
  return b?.stdout ?? '';
}

interface Listing {
  runs: Array<{ run_id: string; status: string }>;
  matched: number;
  total_runs: number;
}

describe(`a store of ${BIG} runs answers as one of ${SMALL}`, () => {
  it('status <exact id>, a unique prefix and latest', () => {
    const id = ids[BIG - 7] as string;
    const exact = JSON.parse(sameIn(['status', id, '--json'])) as { run_id: string };
    expect(exact.run_id).toBe(id);
    // A prefix only this run has (the id minus its last character; suffixes are distinct).
    expect(JSON.parse(sameIn(['status', id.slice(0, -1), '--json']))).toEqual(exact);
    const latest = JSON.parse(sameIn(['status', '--json'])) as { run_id: string };
    expect(latest.run_id).toBe(ids[BIG - 1]);
    expect(JSON.parse(sameIn(['run', 'show', '--run', id, '--json']))).toMatchObject({ run_id: id });
    // An ambiguous prefix is refused in both; an unknown id too.
    const [b, s] = both(['status', 'run_2025', '--json']);
    expect(b?.status).not.toBe(0);
    expect(b?.status).toBe(s?.status);
    const [bu, su] = both(['status', 'run_29990101T000000000Z_nope_zzzzzz', '--json']);
    expect(bu?.status).not.toBe(0);
    expect(bu?.status).toBe(su?.status);
  });

  it('listing filters pick the same newest runs; counts follow the store', () => {
    const since = ids[BIG - 20] as string;
    const sinceDate = `${since.slice(4, 8)}-${since.slice(8, 10)}-${since.slice(10, 12)}T${since.slice(13, 15)}:${since.slice(15, 17)}`;
    for (const filter of [['--limit', '20'], ['--status', 'PASSED', '--limit', '10'], ['--where', 'params.seed = 3', '--limit', '5'], ['--since', sinceDate]]) {
      const [b, s] = both(['run', 'list', ...filter, '--json']).map((r) => {
        expect(r.status, r.stderr).toBe(0);
        return JSON.parse(r.stdout) as Listing;
      });
      expect(b?.runs, filter.join(' ')).toEqual(s?.runs);
      expect(b?.runs.length).toBeGreaterThan(0);
      expect(b?.total_runs).toBe(BIG);
      expect(s?.total_runs).toBe(SMALL);
    }
    // The human listing: the newest 50, then how many more.
    const [b, s] = both(['run', 'list']);
    const rows = (out: string) => out.split('\n').filter((l) => l.includes(' run_'));
    expect(rows(b?.stdout ?? '')).toEqual(rows(s?.stdout ?? ''));
    expect(rows(b?.stdout ?? '')).toHaveLength(50);
    expect(b?.stdout).toContain(`${BIG - 50} more (50 of ${BIG} shown`);
    expect(s?.stdout).toContain(`${SMALL - 50} more (50 of ${SMALL} shown`);
    // status --all with a filter: the same views.
    const [ba, sa] = both(['status', '--all', '--status', 'FAILED', '--limit', '4', '--json']).map((r) => JSON.parse(r.stdout) as { runs: unknown[]; total_runs: number });
    expect(ba?.runs).toEqual(sa?.runs);
    expect(ba?.runs).toHaveLength(4);
    expect([ba?.total_runs, sa?.total_runs]).toEqual([BIG, SMALL]);
  });

  it('every run: status --all --json and run list --json, rendered and then from the view cache', () => {
    for (const args of [['status', '--all', '--json'], ['run', 'list', '--json']]) {
      // Tens of MB of output: more than the test helper's default buffer.
      const outs = [0, 1].map(() =>
        [big, small].map((cwd) => {
          const r = spawnSync(process.execPath, [runrBin, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, timeout: 170_000, env: { ...process.env, NO_COLOR: '1' } });
          expect(r.status, r.stderr).toBe(0);
          return r.stdout;
        }),
      );
      // The second listing is served from the cache the first one wrote: the same bytes.
      expect(outs[1]).toEqual(outs[0]);
      const [b, s] = (outs[0] as string[]).map((o) => JSON.parse(o) as Listing);
      expect(b?.runs.slice(0, SMALL), args.join(' ')).toEqual(s?.runs);
      expect(b?.runs).toHaveLength(BIG);
      expect(b?.runs[0]?.run_id).toBe(ids[BIG - 1]);
      expect(b?.runs[BIG - 1]?.run_id).toBe(ids[0]);
      expect([b?.matched, b?.total_runs, s?.matched, s?.total_runs]).toEqual([BIG, BIG, SMALL, SMALL]);
    }
  }, 900_000);

  it('a task run leaves the same entry, and every other line of the big manifest untouched', () => {
    const file = path.join(big, '.runr', 'runs', 'runs_manifest.json');
    const before = fs.readFileSync(file, 'utf8').split('\n');
    const entries = [big, small].map((cwd) => {
      const r = runr(['run', '--task', '.runr/tasks/t.md', '--worktree', '--json', '--foreground'], { cwd, timeoutMs: 180_000 });
      expect(r.status, r.stderr).toBe(0);
      const runId = (JSON.parse(r.stdout) as { run_id: string }).run_id;
      const m = JSON.parse(fs.readFileSync(path.join(cwd, '.runr', 'runs', 'runs_manifest.json'), 'utf8')) as { total_runs: number; runs: Array<Record<string, unknown>> };
      const e = m.runs.find((x) => x.run_id === runId) as Record<string, unknown>;
      expect(m.runs.at(-1)).toEqual(e);
      expect(m.total_runs).toBe(m.runs.length);
      const { run_id: _i, path: _p, start_time: _s, end_time: _e, ...rest } = e;
      return { n: m.runs.length, rest };
    });
    expect(entries[0]?.n).toBe(BIG + 1);
    expect(entries[1]?.n).toBe(SMALL + 1);
    expect(entries[0]?.rest).toEqual(entries[1]?.rest);
    expect(entries[0]?.rest).toMatchObject({ kind: 'task', status: 'PASSED' });
    const after = fs.readFileSync(file, 'utf8').split('\n');
    // Header lines 0-5; then the old entries: all but the last unchanged (it gained a comma).
    expect(after.slice(6, 6 + BIG - 1)).toEqual(before.slice(6, 6 + BIG - 1));
    expect(after[6 + BIG - 1]).toBe(`${before[6 + BIG - 1] as string},`);
    expect(fs.existsSync(path.join(big, '.runr', 'runs', '.runs_manifest.json.wal'))).toBe(false);
  });
});
