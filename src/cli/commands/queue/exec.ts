/**
 * The hidden `queue-exec <args_file>`: one attempt of a queued run, in the worker's clone, through
 * the task-run library. The result goes to the file the worker named (stdout is the run's log).
 */
import fs from 'node:fs';
import { ExecArgsSchema } from '../../../queue/child.js';
import type { ExecResult } from '../../../queue/child.js';
import type { CliContext } from '../../context.js';

export async function queueExecCommand(ctx: CliContext, argsFile: string): Promise<void> {
  const args = ExecArgsSchema.parse(JSON.parse(fs.readFileSync(argsFile, 'utf8')));
  const { startTaskRun } = await import('../../../tasks/start.js');
  let result: ExecResult = { run_id: args.run_id, run_dir: '', reason: null, detail: null, error: null };
  try {
    const r = await startTaskRun(
      {
        cwd: args.cwd,
        signal: ctx.signal,
        progress: (line) => ctx.err(`runr: ${line}`),
        onStarted: (s) => {
          result = { ...result, run_dir: s.run_dir };
        },
      },
      {
        task: args.task_file,
        worktree: true,
        fast: args.fast,
        allowDeps: args.allow_deps,
        allowDirty: false,
        runId: args.run_id,
        ...(args.max_ticks !== null ? { maxTicks: args.max_ticks } : {}),
        ...(args.time_min !== null ? { timeMin: args.time_min } : {}),
      },
    );
    result = { ...result, run_dir: r.runDir, reason: r.reason, detail: r.state.stop_detail ?? null };
  } catch (err) {
    result = { ...result, error: (err as Error).message };
  }
  fs.writeFileSync(`${args.result_file}.tmp`, JSON.stringify(result));
  fs.renameSync(`${args.result_file}.tmp`, args.result_file);
  ctx.err(`runr: queue-exec ${args.run_id}: ${result.error ?? result.reason ?? 'no result'}`);
}
