/** Temp repositories for orchestration tests (built CLI, real git, scripted or command workers). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeRepo, removeRepo, repoRoot, runr, writeFile } from '../helpers/cli.js';
import type { RunrOptions, RunrResult } from '../helpers/cli.js';

export { removeRepo, runr, writeFile };

export const WORKER = path.join(repoRoot, 'test', 'fixtures', 'orchestrate', 'worker.mjs');

export function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export interface TaskDef {
  /** Files IMPLEMENT writes (path → content). */
  write: Record<string, string>;
  /** Plan's files_expected. */
  expected?: string[];
  /** Front matter lines (e.g. "owns: [src/a/**]"). */
  front?: string;
  /** Scripted worker only: ms the plan answer takes. */
  planSleepMs?: number;
  implementSleepMs?: number;
}

export interface OrchRepoOptions {
  tracks: Record<string, Record<string, TaskDef>>;
  /** 'scripted' (in-process, default) or 'command' (test/fixtures/orchestrate/worker.mjs). */
  worker?: 'scripted' | 'command';
  callsFile?: string;
  workerSleepMs?: number;
  verification?: Record<string, unknown>;
  files?: Record<string, string>;
}

function taskText(name: string, def: TaskDef): string {
  const front = def.front !== undefined ? `---\n${def.front}\n---\n` : '';
  return `${front}# Task ${name}\n\n## Goal\nWrite ${Object.keys(def.write).join(', ')}\n\n## Success Criteria\n- verification passes\n`;
}

export function makeOrchRepo(o: OrchRepoOptions): string {
  const dir = makeRepo({ fixtures: false });
  git(dir, ['config', 'user.email', 't@t']);
  git(dir, ['config', 'user.name', 't']);
  writeFile(dir, 'README.md', '# demo\n');
  writeFile(dir, '.gitignore', '.runr/runs/*/logs/\n.runr/worktrees/\nnode_modules/\n');
  const workers =
    o.worker === 'command'
      ? { w: { adapter: 'command', command: process.execPath, args: [WORKER], env: { CALLS_FILE: o.callsFile ?? '/dev/null', WORKER_SLEEP_MS: String(o.workerSleepMs ?? 0) } } }
      : { w: { adapter: 'scripted', script: '.runr/script.json' } };
  writeFile(dir, '.runr/runr.config.json', {
    scope: { allowlist: ['src/**', 'docs/**'] },
    verification: o.verification ?? { tier0: ['test -f README.md'] },
    workers,
    phases: { plan: 'w', implement: 'w', review: 'w' },
  });
  const script: Record<string, unknown> = {};
  const spec: Record<string, unknown> = {};
  const tracks: string[] = ['tracks:'];
  for (const [id, tasks] of Object.entries(o.tracks)) {
    tracks.push(`  - id: ${id}`, '    tasks:');
    for (const [name, def] of Object.entries(tasks)) {
      writeFile(dir, `.runr/tasks/${name}.md`, taskText(name, def));
      tracks.push(`      - path: tasks/${name}.md`);
      const plan = { milestones: [{ goal: `do ${name}`, files_expected: def.expected ?? [], risk_level: 'low' }], ...(def.planSleepMs !== undefined ? { sleep_ms: def.planSleepMs } : {}) };
      script[`${name}.md`] = { plan, default: { implement: [{ write: def.write, ...(def.implementSleepMs !== undefined ? { sleep_ms: def.implementSleepMs } : {}) }] } };
      spec[`${name}.md`] = { write: def.write, files_expected: def.expected ?? [] };
    }
  }
  writeFile(dir, '.runr/script.json', { tasks: script });
  writeFile(dir, '.runr/worker-spec.json', { tasks: spec });
  writeFile(dir, 'tracks.yaml', `${tracks.join('\n')}\n`);
  for (const [rel, text] of Object.entries(o.files ?? {})) writeFile(dir, rel, text);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'init']);
  return dir;
}

export function runrIn(dir: string, args: string[], opts: Partial<RunrOptions> = {}): RunrResult {
  return runr(args, { cwd: dir, ...opts });
}

export function jsonOf<T = Json>(r: RunrResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.status})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into records freely
export type Json = Record<string, any>;

export function record(dir: string, runId: string): Json {
  return JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runs', runId, 'record', 'RUN.json'), 'utf8')) as Json;
}

/** Start an orchestration (detached) and wait for it; returns the id, the wait result and the report. */
export function orchestrate(dir: string, extra: string[] = [], timeoutS = 120): { id: string; wait: RunrResult; report: Json; status: Json } {
  const start = runrIn(dir, ['orchestrate', 'run', '--config', 'tracks.yaml', '--worktree', ...extra, '--json']);
  if (start.status !== 0) throw new Error(`orchestrate run exited ${start.status}: ${start.stderr}`);
  const id = jsonOf(start).orchestration_id as string;
  const wait = runrIn(dir, ['orchestrate', 'wait', id, '--for', 'terminal', '--timeout', String(timeoutS), '--json'], { timeoutMs: (timeoutS + 30) * 1000 });
  const report = jsonOf(runrIn(dir, ['orchestrate', 'report', id, '--json']));
  return { id, wait, report, status: jsonOf(wait) };
}

/** Kill an orchestration's leftover processes (a failed test must not leave a detached orchestrator). */
export function killOrchestrator(dir: string, id: string): void {
  try {
    const d = JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runs', id, 'logs', 'driver.json'), 'utf8')) as { pid: number };
    process.kill(d.pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

export function filesOn(dir: string, ref: string): string[] {
  return git(dir, ['ls-tree', '-r', '--name-only', ref]).split('\n').filter((l) => l !== '');
}
