/**
 * What a command prints goes on stdout's descriptor until process.stdout is made (src/cli/stdout-write.ts):
 * a reader that goes away ends the command with exit 0 and nothing on stderr, as the stream's EPIPE
 * listener did; a slow reader gets every byte (a full pipe blocks the write); and output written
 * a failing command still prints its one error object on stdout.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runrBin } from '../helpers/cli.js';

type Generator = { generateStore: (runsDir: string, count: number) => Promise<string[]> };

let dir = '';
const RUNS = 300;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-stdout-')));
  spawnSync('git', ['init', '-q'], { cwd: dir });
  const gen = (await import(path.join(repoRoot, 'test', 'fixtures', 'scale', 'generate-store.mjs'))) as Generator;
  await gen.generateStore(path.join(dir, '.runr', 'runs'), RUNS);
}, 240_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function start(args: string[]) {
  const child = spawn(process.execPath, [runrBin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('stdout as a pipe', () => {
  it('a reader that goes away after the first bytes: exit 0, nothing on stderr', async () => {
    const r = start(['status', '--all', '--json']);
    await new Promise<void>((resolve) => r.child.stdout.once('data', () => resolve()));
    r.child.stdout.destroy();
    expect(await r.exited).toBe(0);
    expect(r.stderr()).toBe('');
  }, 120_000);

  it('a slow reader gets the whole listing', async () => {
    const r = start(['status', '--all', '--json']);
    const chunks: Buffer[] = [];
    r.child.stdout.on('data', (b: Buffer) => {
      chunks.push(b);
      // Read in small steps: the writer finds the pipe full again and again.
      r.child.stdout.pause();
      setTimeout(() => r.child.stdout.resume(), 2);
    });
    expect(await r.exited, r.stderr()).toBe(0);
    const out = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const items = Object.values(out).find((v) => Array.isArray(v)) as unknown[];
    expect(items).toHaveLength(RUNS);
  }, 120_000);

  it('a command that fails: one error object on stdout, the message on stderr', () => {
    const r = spawnSync(process.execPath, [runrBin, 'status', 'run_no_such_run', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: expect.any(String) } });
    expect(r.stderr).toMatch(/^error: /);
  });
});
