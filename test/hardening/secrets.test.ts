/**
 * No secret reaches a record (issue 9): a corpus of secret shapes is put in the environment, then
 * printed by a worker and a verification command in every form a tool prints it (raw, JSON-escaped,
 * shell-quoted), and passed as params, tags, agent and model names and gate-fail reasons. A grep of
 * every value and every escaped form over record/, the manifest and logs/ finds nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/cli.js';
import { baseConfig, makeTaskRepo } from '../tasks/helpers.js';
import { filesUnder, removeRepo, runrAsync } from './helpers.js';

const SECRETS: Record<string, string> = {
  OPENAI_API_KEY: 'sk-proj-Q9vX2mL7pR4tY8wZ1nB5cD3fG6hJ0kAa',
  ANTHROPIC_API_KEY: 'sk-ant-api03-Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Jh0GfEd-CbAa9988',
  GITHUB_TOKEN: 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPL3',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  DB_PASSWORD: `p@ss"w\\rd-'quoted'-$HOME-\`tick\`-%20`,
  SMTP_PASSWORD: 'first-line-of-secret\nsecond-line-of-secret',
  APP_PASSWORD: 'pässwörd-ünïcødé-秘密-🔑',
};

const jsonInner = (v: string) => JSON.stringify(v).slice(1, -1);
const jsonAscii = (v: string) => jsonInner(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const shSingle = (v: string) => v.replace(/'/g, `'\\''`);
const shDouble = (v: string) => v.replace(/[\\"$`]/g, '\\$&');

/** Every form a secret may take in a file: raw, JSON-escaped (once, twice, ASCII-only), shell-escaped, each line. */
function forms(v: string): string[] {
  const all = [v, jsonInner(v), jsonAscii(v), jsonInner(jsonInner(v)), shSingle(v), shDouble(v), ...v.split('\n')];
  return [...new Set(all)].filter((f) => f.length >= 6);
}

/** A script that prints every form of every secret (run by the worker and by verification). */
const PRINT_ALL = `for (const k of ${JSON.stringify(Object.keys(SECRETS))}) { const v = process.env[k];
  const j = JSON.stringify(v).slice(1, -1);
  console.log(v); console.log(j); console.log(JSON.stringify(j)); console.log(JSON.stringify({ v }));
  console.log("'" + v.replace(/'/g, "'\\\\''") + "'"); console.log('"' + v.replace(/[\\\\"$\`]/g, '\\\\$&') + '"'); }`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

function leaks(files: string[]): string[] {
  const found: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    for (const [name, value] of Object.entries(SECRETS)) {
      for (const form of forms(value)) if (text.includes(form)) found.push(`${f}: ${name} as ${JSON.stringify(form)}`);
    }
  }
  return found;
}

function scanned(dir: string, runsRel: string): string[] {
  const runs = path.join(dir, runsRel);
  const files = filesUnder(runs).filter((f) => /\/(record|logs)\//.test(f) || f.endsWith('runs_manifest.json'));
  return files.filter((f) => !f.endsWith('.lock'));
}

describe.concurrent('secrets never reach records, logs or the manifest', () => {
  it('a task run whose worker and verification print every form of every secret', async () => {
    const memo = Object.values(SECRETS).flatMap(forms).join(' | ');
    const worker = { adapter: 'command', command: process.execPath, args: ['-e', `${PRINT_ALL}\nrequire('fs').mkdirSync('src', { recursive: true }); require('fs').writeFileSync('src/a.ts', 'x');\nconsole.log('BEGIN_JSON\\n' + JSON.stringify({ status: 'ok', handoff_memo: ${JSON.stringify(memo)} }) + '\\nEND_JSON')`], output: 'text' };
    const config = baseConfig({
      workers: { w: worker },
      phases: { plan: 'w', implement: 'w', review: 'w' },
      verification: { tier0: [`node -e ${shQuote(`${PRINT_ALL}\nprocess.exit(1)`)}`] },
      limits: { max_verify_retries: 2 },
    });
    const dir = makeTaskRepo({ config });
    dirs.push(dir);
    const r = await runrAsync(['run', '--task', '.runr/tasks/task.md', '--worktree', '--fast', '--json', '--foreground'], { cwd: dir, env: SECRETS });
    expect(r.status, r.stderr).toBe(3);
    const files = scanned(dir, '.runr/runs');
    expect(files.some((f) => f.includes('/logs/prompts/'))).toBe(true);
    expect(files.some((f) => f.includes('/logs/verify/')), files.filter((f) => f.endsWith('stop.json')).map((f) => fs.readFileSync(f, 'utf8')).join('')).toBe(true);
    expect(files.some((f) => f.includes('/logs/workers/'))).toBe(true);
    expect(leaks(files)).toEqual([]);
    expect(leaks([]).length).toBe(0);
    // The stdout/stderr of runr itself (progress, the --json line) carries no secret either.
    expect(leaks([writeTemp(dir, r.stdout + r.stderr)])).toEqual([]);
  });

  it('workflow runs: params, tags, agent and model names, gate-fail reasons', async () => {
    const dir = makeRepo();
    dirs.push(dir);
    const env = SECRETS;
    const db = SECRETS.DB_PASSWORD ?? '';
    const start = await runrAsync(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--param', `db=${db}`, '--param', `tok=${jsonInner(db)}`, '--tag', `owner=${SECRETS.GITHUB_TOKEN}`, '--tag', `x=${shSingle(db)}`, '--json'], { cwd: dir, env });
    expect(start.status, start.stderr).toBe(0);
    const id = (JSON.parse(start.stdout) as { run_id: string }).run_id;
    const steps = [
      ['gate', 'start', '--run', id, '--gate', 'G1', '--agent', `agent-${SECRETS.OPENAI_API_KEY}`],
      ['invocation', 'record', '--run', id, '--gate', 'G1', '--agent', `a-${SECRETS.APP_PASSWORD}`, '--model', `m-${jsonInner(SECRETS.SMTP_PASSWORD ?? '')}`],
      ['gate', 'fail', '--run', id, '--gate', 'G1', '--reason', Object.values(SECRETS).flatMap(forms).join(' ; ')],
    ];
    for (const s of steps) {
      const r = await runrAsync(s, { cwd: dir, env });
      expect(r.status, `${s.join(' ')}: ${r.stderr}`).toBeLessThan(2);
    }
    const files = scanned(dir, 'orchestration/runs').concat(scanned(dir, '.runr/runs'));
    expect(files.some((f) => f.endsWith('RUN.json'))).toBe(true);
    expect(leaks(files)).toEqual([]);
  });
});

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function writeTemp(dir: string, text: string): string {
  const f = path.join(dir, '..', `${path.basename(dir)}-out.txt`);
  fs.writeFileSync(f, text);
  dirs.push(f);
  return f;
}
