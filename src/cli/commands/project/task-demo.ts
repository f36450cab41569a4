/**
 * The task-run part of `runr demo` (and `runr init --demo` shows the commands): in the demo
 * repository, run the three tasks with the real CLI — one completes, one stops on verification and
 * completes on resume, one stops on the scope guard — printing each command as a user types it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runrBin } from '../../self.js';
import type { CliContext } from '../../context.js';
import { paint } from '../../style.js';
import { createTaskDemoRepo } from '../../../tasks/init/write.js';


export interface TaskDemoResult {
  dir: string;
  runs: Array<{ task: string; run_id: string; stop_reason: string | null; resumed_to: string | null }>;
  ok: boolean;
}

/** Run the demo in `dir` (a demo repository is created there when it has none; default: a temp dir). */
/** `bin`: the runr launcher to run (default: the one running now). */
export function runTaskDemo(ctx: CliContext, dir?: string, bin: string = runrBin()): TaskDemoResult {
  const p = paint(ctx.color);
  const root = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'runr-task-demo-'));
  if (!fs.existsSync(path.join(root, '.runr', 'demo.script.json'))) createTaskDemoRepo(root);
  const say = (line: string) => (ctx.json ? undefined : ctx.out(line));
  const runr = (args: string[], note: string) => {
    say('');
    say(p.dim(`# ${note}`));
    say(p.bold(`$ runr ${args.join(' ')}`));
    // Inherit the terminal so progress (stderr) and results (stdout) interleave as they happen.
    return spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', ctx.json ? 'ignore' : 'inherit', ctx.json ? 'ignore' : 'inherit'], env: { ...process.env, ...(ctx.color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }) } });
  };
  const latest = (): { run_id: string; stop_reason: string | null } => {
    const r = spawnSync(process.execPath, [bin, 'status', 'latest', '--json'], { cwd: root, encoding: 'utf8' });
    try {
      const v = JSON.parse(r.stdout) as { run_id?: unknown; stop_reason?: unknown };
      return { run_id: typeof v.run_id === 'string' ? v.run_id : '', stop_reason: typeof v.stop_reason === 'string' ? v.stop_reason : null };
    } catch {
      return { run_id: '', stop_reason: null };
    }
  };

  say(p.bold('Agent task runs: PLAN → IMPLEMENT → VERIFY → REVIEW → CHECKPOINT, with a scripted worker'));
  say(`Demo repository: ${root}`);
  const runs: TaskDemoResult['runs'] = [];

  runr(['run', '--task', '.runr/tasks/01-add-farewell.md', '--worktree'], 'a task that succeeds: two milestones, two checkpoint commits on runr/<run-id>');
  const a = latest();
  runs.push({ task: '01-add-farewell.md', ...a, resumed_to: null });

  runr(['run', '--task', '.runr/tasks/02-shout.md', '--worktree'], 'a task whose verification keeps failing: it stops, resumable (exit 3)');
  const b = latest();
  runr(['report', b.run_id], 'why it stopped, and what to do next');
  runr(['resume', b.run_id], 'resume: the work left in the worktree is re-verified, the retry budget starts over');
  runs.push({ task: '02-shout.md', run_id: b.run_id, stop_reason: b.stop_reason, resumed_to: latest().stop_reason });

  runr(['run', '--task', '.runr/tasks/03-add-dependency.md', '--worktree'], 'a task that touches a lockfile: the scope guard stops it (not resumable)');
  const c = latest();
  runs.push({ task: '03-add-dependency.md', ...c, resumed_to: null });

  runr(['report', c.run_id], 'which files the guard blocked, and what to do about it');
  const ok = a.stop_reason === 'complete' && b.stop_reason === 'verification_failed_max_retries' && runs[1]?.resumed_to === 'complete' && c.stop_reason === 'guard_violation';
  say('');
  say(ok ? p.green('Task demo done.') : p.red('Task demo: unexpected outcome (see above).'));
  return { dir: root, runs, ok };
}
