/**
 * Issue 15, item 7: with --json an error also prints one object on stdout, the exit code is
 * unchanged and the human line stays on stderr; messages use the operator guide's words.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, removeRepo, runr } from '../helpers/cli.js';
import { baseConfig, makeTaskRepo, writeFile } from '../tasks/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

type ErrorObject = { error: { code: string; message: string; file: string | null; field: string | null } };

function errorObject(stdout: string): ErrorObject {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as ErrorObject;
}

describe('item 7: errors under --json', () => {
  it('run_not_found: one object on stdout, the human line on stderr, exit 2 as without --json', () => {
    const cwd = makeRepo();
    dirs.push(cwd);
    const plain = runr(['status', 'run_nope'], { cwd });
    const r = runr(['status', 'run_nope', '--json'], { cwd });
    expect(r.status).toBe(2);
    expect(plain.status).toBe(2);
    expect(r.stderr).toContain('Run not found');
    expect(errorObject(r.stdout)).toEqual({ error: { code: 'run_not_found', message: expect.stringContaining('Run not found: run_nope'), file: null, field: null } });
    expect(plain.stdout).toBe('');
  });

  it('a file that fails validation names the file and the field', () => {
    const cwd = makeRepo();
    dirs.push(cwd);
    writeFile(cwd, '.runr/runr.config.json', { runs_dir: 5 });
    const r = runr(['run', 'list', '--json'], { cwd });
    expect(r.status).toBe(2);
    const e = errorObject(r.stdout).error;
    expect(e).toMatchObject({ code: 'invalid_file', file: '.runr/runr.config.json', field: 'runs_dir' });
  });

  it('a usage error (unknown option) and a state error keep their exit codes', () => {
    const cwd = makeRepo();
    dirs.push(cwd);
    const u = runr(['run', 'list', '--nope', '--json'], { cwd });
    expect(u.status).toBe(2);
    expect(errorObject(u.stdout).error.code).toBe('usage');
    const id = JSON.parse(runr(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--json'], { cwd }).stdout).run_id as string;
    const s = runr(['gate', 'finish', '--run', id, '--gate', 'G1', '--json'], { cwd });
    expect(s.status).toBe(1);
    expect(errorObject(s.stdout).error.code).toBe('invalid_state');
  });

  it('a command that printed its result adds no error object (a failed gate)', () => {
    const cwd = makeRepo();
    dirs.push(cwd);
    const id = JSON.parse(runr(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--json'], { cwd }).stdout).run_id as string;
    runr(['gate', 'start', '--run', id, '--gate', 'G1'], { cwd });
    const r = runr(['gate', 'finish', '--run', id, '--gate', 'G1', '--json'], { cwd });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'FAIL' });
  });

  it('Worktree is dirty and <worker> not found, in the guide’s words', () => {
    const dirty = makeTaskRepo();
    dirs.push(dirty);
    writeFile(dirty, 'src/wip.ts', 'x\n');
    const d = runr(['run', '--task', '.runr/tasks/task.md', '--json', '--foreground'], { cwd: dirty });
    expect(d.status).toBe(2);
    expect(d.stderr).toContain('Worktree is dirty');
    expect(errorObject(d.stdout).error.code).toBe('worktree_dirty');

    const noWorker = makeTaskRepo({ config: baseConfig({ workers: { claude: { adapter: 'claude', command: 'claude-not-installed-xyz' } }, phases: { plan: 'claude', implement: 'claude', review: 'claude' } }) });
    dirs.push(noWorker);
    const w = runr(['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground'], { cwd: noWorker });
    expect(w.status).toBe(2);
    expect(w.stderr).toMatch(/error: claude-not-installed-xyz not found/);
    expect(errorObject(w.stdout).error.code).toBe('worker_not_found');
  });
});
