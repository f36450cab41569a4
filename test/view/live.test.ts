/**
 * Live mode: `runr view --serve` on 127.0.0.1, a task run with a slow scripted worker started in
 * the background, and the page (opened once, never reloaded) growing the run's timeline as the
 * journal grows.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRepo, runrBin } from '../helpers/cli.js';
import type { Session } from './browser.js';
import { browserMissing, openSession } from './browser.js';
import { taskRepo } from './store.js';

/** m2's worker is busy until the test creates \`go\` (a file outside the repository), so the page is seen growing however loaded the machine. */
const slowUntil = (go: string) => ({
  plan: {
    milestones: [
      { goal: 'Add greet', files_expected: ['src/greet.ts'], risk_level: 'low' },
      { goal: 'Add farewell', files_expected: ['src/farewell.ts'], risk_level: 'low' },
    ],
  },
  milestones: {
    m1: { implement: [{ write: { 'src/greet.ts': 'export const greet = 1;\n' } }] },
    m2: { implement: [{ write: { 'src/farewell.ts': 'export const farewell = 1;\n' }, sleep_ms: 600_000, until_exists: go }] },
  },
});

function startProcess(args: string[], cwd: string): { child: ChildProcess; firstLine: Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [runrBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(out.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`runr ${args.join(' ')} exited ${code} before printing: ${err}`)));
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, firstLine, exited };
}

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const missing = browserMissing();

describe.skipIf(missing !== null)('runr view --serve', () => {
  let dir: string;
  let server: ReturnType<typeof startProcess>;
  let url: string;
  let session: Session;
  let goDir: string;

  beforeAll(async () => {
    goDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-go-'));
    dir = taskRepo(slowUntil(path.join(goDir, 'go')));
    server = startProcess(['view', '--serve', '--json'], dir);
    url = (JSON.parse(await server.firstLine) as { url: string }).url;
    session = await openSession(url.replace(/\/$/, ''));
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    if (dir !== undefined) removeRepo(dir);
    if (goDir !== undefined) fs.rmSync(goDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 on a free port and refuses requests for another host', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await get(url)).toBe(200);
    expect(await get(url, { host: 'evil.example:80' })).toBe(403);
    expect(await get(`${url}../../etc/passwd`)).toBe(404);
  });

  it("a running task run's timeline grows in the open page, without a reload", async () => {
    const { page } = session;
    await page.goto(url);
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await expect.poll(() => page.locator('#live').textContent(), { timeout: 15_000 }).toContain('live');
    expect(await page.locator('#runs-table tbody tr').count()).toBe(0);

    // A detached task run (`--detach`: a background supervisor works on it).
    const task = startProcess(['run', '--task', '.runr/tasks/task.md', '--worktree', '--detach'], dir);
    task.firstLine.catch(() => undefined);
    // The new run appears in the table by itself.
    await expect.poll(() => page.locator('#runs-table tbody tr').count(), { timeout: 30_000 }).toBe(1);
    await page.locator('a.run-link').first().click();
    const bars = page.locator('#timeline .bar');
    await expect.poll(() => bars.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const before = await bars.count();
    // m2's worker finishes only now: its VERIFY, REVIEW and CHECKPOINT appear.
    fs.writeFileSync(path.join(goDir, 'go'), '');
    await expect.poll(() => bars.count(), { timeout: 60_000 }).toBeGreaterThan(before);
    expect(await task.exited).toBe(0);
    await expect.poll(() => page.locator('#stop').textContent(), { timeout: 30_000 }).toContain('complete');
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(session.blocked).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
