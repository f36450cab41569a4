/**
 * When `run --task` and `resume` detach, and what the caller sees (docs/supervise.md, "Detached
 * runs"). Default: detach with `--json` (the operator guide's agent flow: start, capture run_id,
 * monitor), stay in the foreground without it (a person at a terminal, CI scripts and pipes that
 * rely on the exit code). `--detach` / `--foreground` choose explicitly.
 */
import type { CliContext } from '../../context.js';
import { runrBin } from '../../self.js';
import { OutcomeError, UserError } from '../../../core/errors.js';
import type { ExitCode } from '../../../core/errors.js';
import { openProject } from '../../../store/project.js';
import { spawnDetachedSession } from '../../../supervise/detach.js';

export function detachWanted(ctx: CliContext, opts: { detach: boolean; foreground: boolean; supervised: string | undefined }): boolean {
  if (opts.supervised !== undefined) return false;
  if (opts.detach && opts.foreground) throw new UserError('--detach and --foreground: choose one');
  return opts.detach || (ctx.json && !opts.foreground);
}

/** `args`: the session's runr arguments (everything but --json/--detach/--foreground). */
export async function runDetached(ctx: CliContext, args: string[], status: 'started' | 'resumed'): Promise<void> {
  const project = openProject(ctx.cwd, ctx.runsDir !== undefined ? { runsDir: ctx.runsDir } : {});
  const r = await spawnDetachedSession({ runrBin: runrBin(), cwd: ctx.cwd, args, runsDir: project.runsDir, signal: ctx.signal });
  if (!r.ok) {
    // The session failed before it started: say what it said, exit as it exited.
    if (r.output !== '') process.stderr.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
    throw new OutcomeError('', r.exitCode as ExitCode);
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ run_id: r.run_id, run_dir: r.run_dir, repo_root: r.repo_root, status }, null, 2));
    return;
  }
  ctx.out(`${status === 'started' ? 'Started' : 'Resumed'} run ${r.run_id} in the background (supervisor pid ${r.pid}, log ${path(r.log, r.repo_root)})`);
  ctx.out(`  follow: runr follow ${r.run_id}   wait: runr wait ${r.run_id} --for terminal   watch: runr watch ${r.run_id} --auto-resume`);
}

function path(abs: string, root: string): string {
  return abs.startsWith(`${root}/`) ? abs.slice(root.length + 1) : abs;
}
