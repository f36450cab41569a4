/**
 * The hidden `queue-exec <args_file>`: one attempt of a queued run, in the worker's clone, through
 * the task-run library. The result goes to the file the worker named (stdout is the run's log).
 */
import fs from 'node:fs';
import { ExecArgsSchema, startedFile, stopWithParent } from '../../../queue/child.js';
import type { ExecResult } from '../../../queue/child.js';
import type { CliContext } from '../../context.js';

export async function queueExecCommand(ctx: CliContext, argsFile: string): Promise<void> {
  const args = ExecArgsSchema.parse(JSON.parse(fs.readFileSync(argsFile, 'utf8')));
  stopWithParent(args.parent_pid, (line) => ctx.err(`runr: ${line}`));
  let result: ExecResult = { run_id: args.run_id, run_dir: '', reason: null, detail: null, error: null };
  const deps = {
    cwd: args.cwd,
    signal: ctx.signal,
    progress: (line: string) => ctx.err(`runr: ${line}`),
    onStarted: (s: { run_dir: string }) => {
      result = { ...result, run_dir: s.run_dir };
      fs.writeFileSync(startedFile(args.result_file), JSON.stringify({ run_dir: s.run_dir }));
    },
  };
  const budget = { ...(args.max_ticks !== null ? { maxTicks: args.max_ticks } : {}), ...(args.time_min !== null ? { timeMin: args.time_min } : {}) };
  try {
    // A later attempt continues after the last checkpoint (the worker restored the record and branch).
    // A record that already shows the run ended (its attempt lost the lease after the run's end
    // was checkpointed) is not resumed: that end is the result.
    const ended = args.resume ? (await import('../../../queue/ended-run.js')).endedInRecord(args.cwd, args.run_id) : null;
    if (ended !== null) {
      result = { ...result, ...ended };
    } else if (args.variant !== null) {
      const { execVariantRun } = await import('../../../queue/exec-variant.js');
      const v = await execVariantRun({ cwd: args.cwd, runId: args.run_id, spec: args.variant, signal: ctx.signal, env: process.env, onStarted: deps.onStarted });
      result = { ...result, ...v };
    } else if (args.workflow !== null) {
      const { execWorkflowRun } = await import('../../../queue/exec-workflow.js');
      const w = await execWorkflowRun({ cwd: args.cwd, runId: args.run_id, spec: args.workflow, signal: ctx.signal, say: deps.progress, onStarted: deps.onStarted });
      result = { ...result, ...w };
    } else {
      const r = args.resume
        ? await (await import('../../../tasks/resume.js')).resumeTaskRun(deps, { run: args.run_id, reloadConfig: false, ...budget })
        : await (await import('../../../tasks/start.js')).startTaskRun(deps, { task: args.task_file, worktree: true, fast: args.fast, allowDeps: args.allow_deps, allowDirty: false, runId: args.run_id, ...budget });
      result = { ...result, run_dir: r.runDir, reason: r.reason, detail: r.state.stop_detail ?? null };
    }
  } catch (err) {
    result = { ...result, error: (err as Error).message };
  }
  fs.writeFileSync(`${args.result_file}.tmp`, JSON.stringify(result));
  fs.renameSync(`${args.result_file}.tmp`, args.result_file);
  ctx.err(`runr: queue-exec ${args.run_id}: ${result.error ?? result.reason ?? 'no result'}`);
}
