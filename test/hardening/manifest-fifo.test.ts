/**
 * Issue 9 (every file read is validated; file type checked before opening), for the files the
 * listings and lookups read: a FIFO, a directory or a symlink loop where the manifest or a view
 * cache file should be never blocks a command (a FIFO opened for reading waits for a writer
 * forever). The manifest is the store's index: a bad one is an error naming it, or the command
 * falls back to the run directories; a bad view cache (derived, git-ignored) is ignored.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, runrBin } from '../helpers/cli.js';
import { removeRepo, runrAsync } from './helpers.js';

let dir = '';
let runId = '';
let runsDir = '';

/** The CLI with a deadline: SIGKILL at 30 s (a hang shows as a signal, not an exit code). */
function runrDeadline(args: string[]): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runrBin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(kill);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = makeRepo();
  const r = await runrAsync(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--json'], { cwd: dir });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { run_id: string; run_dir: string };
  runId = out.run_id;
  runsDir = path.dirname(path.join(dir, out.run_dir));
  // The all-runs listing writes the view cache: make it exist.
  expect((await runrAsync(['status', '--all', '--json'], { cwd: dir })).status).toBe(0);
});

afterAll(() => removeRepo(dir));

const LISTINGS: string[][] = [['run', 'list'], ['run', 'list', '--json'], ['status', '--all', '--json'], ['find', "status = 'RUNNING'"]];

const kinds = [
  ['a FIFO', (f: string) => execFileSync('mkfifo', [f])],
  ['a directory', (f: string) => fs.mkdirSync(f)],
  [
    'a symlink loop',
    (f: string) => {
      fs.symlinkSync(`${path.basename(f)}.b`, f);
      fs.symlinkSync(path.basename(f), `${f}.b`);
    },
  ],
] as const;

describe.sequential('the manifest and the view cache are never opened blind', () => {
  for (const [what, make] of kinds) {
    it(`${what} where runs_manifest.json should be: no command hangs or crashes`, async () => {
      const file = path.join(runsDir, 'runs_manifest.json');
      const saved = fs.readFileSync(file);
      fs.rmSync(file);
      make(file);
      try {
        for (const args of [...LISTINGS, ['status', runId.slice(0, runId.length - 2)], ['status', 'latest', '--json']]) {
          const r = await runrDeadline(args);
          const shown = `${args.join(' ')}: exit ${r.status} signal ${r.signal}: ${JSON.stringify(r.stderr)}`;
          expect(r.signal, shown).toBeNull();
          expect([0, 2], shown).toContain(r.status);
          expect(r.stderr, shown).not.toMatch(/^ {4}at /m);
          if (r.status === 2) expect(r.stderr, shown).toMatch(/runs_manifest\.json/);
        }
      } finally {
        fs.rmSync(file, { recursive: true, force: true });
        fs.rmSync(`${file}.b`, { force: true });
        fs.writeFileSync(file, saved);
      }
    });

    it(`${what} where a view cache file should be: ignored, the listing is the same`, async () => {
      const want = await runrDeadline(['status', '--all', '--json']);
      expect(want.status, want.stderr).toBe(0);
      const viewsDir = path.join(runsDir, '.runs_manifest.json.views');
      const files = fs.readdirSync(viewsDir);
      expect(files.length).toBeGreaterThan(0);
      const saved = new Map(files.map((f) => [f, fs.readFileSync(path.join(viewsDir, f))]));
      for (const f of files) {
        fs.rmSync(path.join(viewsDir, f));
        make(path.join(viewsDir, f));
      }
      try {
        for (const args of [['status', '--all', '--json'], ['run', 'list', '--json']]) {
          const r = await runrDeadline(args);
          const shown = `${args.join(' ')}: exit ${r.status} signal ${r.signal}: ${JSON.stringify(r.stderr)}`;
          expect(r.signal, shown).toBeNull();
          expect(r.status, shown).toBe(0);
          if (args[0] === 'status') expect(r.stdout).toBe(want.stdout);
        }
      } finally {
        for (const [f, buf] of saved) {
          fs.rmSync(path.join(viewsDir, f), { recursive: true, force: true });
          fs.rmSync(path.join(viewsDir, `${f}.b`), { force: true });
          fs.writeFileSync(path.join(viewsDir, f), buf);
        }
      }
    });
  }
});
