/** `runr init` detection and --demo, `runr doctor` worker checks, and the task demo. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectProject, taskConfigSections } from '../../src/tasks/init/detect.js';
import { runTaskDemo } from '../../src/cli/commands/project/task-demo.js';
import { parseTaskConfig } from '../../src/config/task-section.js';
import type { CliContext } from '../../src/cli/context.js';
import type { Json } from './helpers.js';
import { baseConfig, json, makeTaskRepo, removeRepo, repoRoot, runrIn, writeFile } from './helpers.js';
import { makeRepo } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});
function tmp(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-init-')));
  dirs.push(d);
  return d;
}

describe('init detection', () => {
  it('package.json scripts and dependencies', () => {
    const d = tmp();
    writeFile(d, 'package.json', { scripts: { typecheck: 'tsc', lint: 'eslint .', build: 'tsc -p .', test: 'vitest run' }, dependencies: { next: '15', react: '19', 'drizzle-orm': '1' }, devDependencies: { vitest: '4', typescript: '5', tailwindcss: '4', eslint: '9', '@playwright/test': '1', prisma: '6', dotenv: '1' } });
    writeFile(d, 'pnpm-lock.yaml', '');
    fs.mkdirSync(path.join(d, 'src'));
    fs.mkdirSync(path.join(d, 'tests'));
    const det = detectProject(d, { PATH: '' });
    expect(det.verification).toEqual({ tier0: ['pnpm run typecheck', 'pnpm run lint'], tier1: ['pnpm run build'], tier2: ['pnpm test'] });
    expect(det.presets.sort()).toEqual(['drizzle', 'env', 'eslint', 'nextjs', 'playwright', 'prisma', 'react', 'tailwind', 'typescript', 'vitest']);
    expect(det.allowlist).toEqual(['src/**', 'tests/**']);
    expect(det.agent).toBeNull();
    expect(taskConfigSections(d, det)).toMatchObject({ workers: { claude: { adapter: 'claude' } }, phases: { implement: 'claude' }, scope: { allowlist: ['src/**', 'tests/**'] } });
  });

  it('pyproject.toml, go.mod, Cargo.toml; npm by default; the default "no test specified" script is ignored', () => {
    const py = tmp();
    writeFile(py, 'pyproject.toml', '[tool.ruff]\n[tool.mypy]\n[tool.pytest.ini_options]\n');
    expect(detectProject(py, { PATH: '' })).toMatchObject({ verification: { tier0: ['ruff check .', 'mypy .'], tier1: [], tier2: ['pytest'] }, presets: ['pytest'] });
    const go = tmp();
    writeFile(go, 'go.mod', 'module x\n');
    expect(detectProject(go, { PATH: '' }).verification).toEqual({ tier0: ['go vet ./...'], tier1: ['go build ./...'], tier2: ['go test ./...'] });
    const rs = tmp();
    writeFile(rs, 'Cargo.toml', '[package]\n');
    expect(detectProject(rs, { PATH: '' }).verification.tier2).toEqual(['cargo test']);
    const js = tmp();
    writeFile(js, 'package.json', { scripts: { test: 'echo "Error: no test specified" && exit 1', build: 'x' } });
    expect(detectProject(js, { PATH: '' }).verification).toEqual({ tier0: [], tier1: ['npm run build'], tier2: [] });
  });

  it('finds an agent CLI on PATH', () => {
    const bin = tmp();
    writeFile(bin, 'codex', '#!/bin/sh\necho codex 1.0\n');
    fs.chmodSync(path.join(bin, 'codex'), 0o755);
    expect(detectProject(tmp(), { PATH: bin }).agent).toBe('codex');
  });
});

describe('runr init', () => {
  it('writes detected task sections and an example task; the config validates against the task schema', () => {
    const d = makeRepo({ fixtures: false });
    dirs.push(d);
    writeFile(d, 'package.json', { scripts: { test: 'vitest run' }, devDependencies: { vitest: '4' } });
    const r = runrIn(d, ['init', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(json<Json>(r).example_tasks).toEqual(['.runr/tasks/example-task.md']);
    const cfg = JSON.parse(fs.readFileSync(path.join(d, '.runr', 'runr.config.json'), 'utf8'));
    expect(cfg).toMatchObject({ verification: { tier2: ['npm test'] }, scope: { presets: ['vitest'] }, limits: { max_verify_retries: 3, max_review_rounds: 2 } });
    expect(cfg.$schema).toMatch(/runr\.config\.schema\.json$/);
    expect(parseTaskConfig(cfg, 'runr.config.json').phases).toEqual({ plan: 'claude', implement: 'claude', review: 'claude' });
    expect(fs.readFileSync(path.join(d, '.runr', 'tasks', 'example-task.md'), 'utf8')).toMatch(/^# Add dark mode toggle/);
  });

  it('--interactive says it is not available yet and writes nothing', () => {
    const d = tmp();
    const r = runrIn(d, ['init', '--interactive']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/coming soon/);
    expect(fs.existsSync(path.join(d, '.runr'))).toBe(false);
  });

  it('--demo builds a repository with exactly three tasks: one succeeds, one fails verification then succeeds on resume, one stops on the scope guard', () => {
    const parent = tmp();
    const demo = path.join(parent, 'demo');
    const r = runrIn(parent, ['init', '--demo', '--dir', demo, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const tasks = fs.readdirSync(path.join(demo, '.runr', 'tasks')).sort();
    expect(tasks).toEqual(['01-add-farewell.md', '02-shout.md', '03-add-dependency.md']);
    expect(runrIn(demo, ['run', '--task', '.runr/tasks/01-add-farewell.md', '--worktree']).status).toBe(0);
    const second = runrIn(demo, ['run', '--task', '.runr/tasks/02-shout.md', '--worktree', '--json', '--foreground']);
    expect(second.status).toBe(3);
    const id = json<Json>(second).run_id as string;
    expect(json<Json>(runrIn(demo, ['status', id]))).toMatchObject({ stop_reason: 'verification_failed_max_retries' });
    expect(runrIn(demo, ['resume', id]).status).toBe(0);
    const third = runrIn(demo, ['run', '--task', '.runr/tasks/03-add-dependency.md', '--worktree']);
    expect(third.status).toBe(3);
    expect(json<Json>(runrIn(demo, ['status', 'latest']))).toMatchObject({ stop_reason: 'guard_violation', guard_violation_files: ['package-lock.json'] });
    expect(json<Json>(runrIn(demo, ['doctor', '--json'])).checks.find((c: Json) => c.name.startsWith('worker scripted'))).toMatchObject({ status: 'ok' });
  });

  it('runTaskDemo shows all three outcomes', () => {
    const lines: string[] = [];
    const ctx: CliContext = { cwd: tmp(), json: true, signal: new AbortController().signal, out: (l) => lines.push(l), err: () => undefined, isTTY: false, color: false, runsDir: undefined, stderrTTY: false };
    const dir = path.join(tmp(), 'd');
    const result = runTaskDemo(ctx, dir, path.join(repoRoot, 'bin', 'runr.js'));
    expect(result.runs.map((r) => [r.task, r.stop_reason, r.resumed_to])).toEqual([
      ['01-add-farewell.md', 'complete', null],
      ['02-shout.md', 'verification_failed_max_retries', 'complete'],
      ['03-add-dependency.md', 'guard_violation', null],
    ]);
    expect(result.ok).toBe(true);
  });
});

describe('runr doctor: workers', () => {
  function doctor(d: string, env?: Record<string, string>) {
    const r = runrIn(d, ['doctor', '--json'], env ? { env } : {});
    return { status: r.status, out: json<Json>(r) };
  }
  const worker = (out: Json) => out.checks.filter((c: Json) => String(c.name).startsWith('worker '));

  it('fails when a configured worker command is missing, never reporting success', () => {
    const d = makeTaskRepo({ config: baseConfig({ workers: { claude: { adapter: 'claude' } }, phases: {} }) });
    dirs.push(d);
    const r = doctor(d, { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` });
    expect(r.status).toBe(1);
    expect(r.out.ok).toBe(false);
    expect(worker(r.out)).toEqual([expect.objectContaining({ name: 'worker claude (plan, implement, review)', status: 'fail', detail: 'claude not found on PATH' })]);
  });

  it('passes when the worker exists and answers --version; fails when it does not answer', () => {
    const bin = tmp();
    writeFile(bin, 'claude', '#!/bin/sh\necho "1.2.3 (Claude Code)"\n');
    writeFile(bin, 'broken-agent', '#!/bin/sh\nexit 3\n');
    fs.chmodSync(path.join(bin, 'claude'), 0o755);
    fs.chmodSync(path.join(bin, 'broken-agent'), 0o755);
    const d = makeTaskRepo({ config: baseConfig({ workers: { claude: { adapter: 'claude' }, b: { adapter: 'command', command: 'broken-agent' } }, phases: { plan: 'claude', implement: 'claude', review: 'b' } }) });
    dirs.push(d);
    const r = doctor(d, { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin` });
    expect(worker(r.out)).toEqual([
      expect.objectContaining({ name: 'worker claude (plan, implement)', status: 'ok', detail: 'claude answers: 1.2.3 (Claude Code)' }),
      expect.objectContaining({ name: 'worker b (review)', status: 'fail', detail: 'broken-agent --version did not answer (exit 3)' }),
    ]);
    expect(r.status).toBe(1);
  });

  it('a broken scripted worker script fails; no verification commands warns', () => {
    const d = makeTaskRepo({ config: baseConfig({ verification: {} }), script: { plan: 'not an object' } as unknown as object });
    dirs.push(d);
    const r = doctor(d);
    expect(worker(r.out)[0]).toMatchObject({ status: 'fail' });
    expect(r.out.checks.find((c: Json) => c.name === 'verification')).toMatchObject({ status: 'warn' });
  });
});
