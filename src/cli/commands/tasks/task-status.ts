/**
 * `runr status [<run_id>|--all]`. The operator guide says status "returns full run state as JSON",
 * so JSON is printed unless stdout is a terminal (agents read pipes); `--json` forces it.
 * A RUNNING task run whose process is gone is recorded as `interrupted` here (liveness.ts).
 */
import type { CliContext } from '../../context.js';
import { stdoutSink } from '../../context.js';
import { storeFor } from '../store-opts.js';
import type { StatusOptions } from './task-options.js';
import { paint } from '../../style.js';
import { statusView } from '../../../core/tasks/views.js';
import type { StatusView } from '../../../core/tasks/views.js';
import { InternalError } from '../../../core/errors.js';
import type { RunStore } from '../../../store/run-store.js';
import { JsonArrayStream } from '../../json-stream.js';
import { listFilters, listLimit, moreLine } from '../list-filters.js';
import { selectRuns } from '../run/select-runs.js';
import { reconcileIfDead } from '../../../tasks/reconcile.js';
import { runAlive } from '../../../tasks/run-lock.js';

function human(ctx: CliContext, v: StatusView): string[] {
  const p = paint(ctx.color);
  const state = v.stop_reason === null ? p.bold(v.status) : v.stop_reason === 'complete' ? p.green('complete') : p.yellow(`stopped: ${v.stop_reason}`);
  const lines = [`${p.bold(v.run_id)}  ${v.kind}  ${state}${v.phase !== null ? `  phase ${v.phase}` : ''}`];
  if (v.open_gate !== null) lines.push(`gate ${v.open_gate} is open (waiting for its outputs)`);
  if (v.task !== null) lines.push(`task ${v.task}  branch ${v.branch ?? '-'}${v.worktree !== null ? `  worktree ${v.worktree}` : ''}`);
  for (const [i, m] of v.milestones.entries()) {
    const mark = m.status === 'complete' ? p.green('✓') : i === v.milestone_index && v.stop_reason === null ? '→' : ' ';
    lines.push(`  ${mark} ${m.id} ${m.goal}${m.checkpoint_sha !== null ? p.dim(` ${m.checkpoint_sha.slice(0, 12)}`) : ''}`);
  }
  if (v.verification_failures > 0) lines.push(`verification failures on this milestone: ${v.verification_failures}`);
  if (v.stop_detail !== null) lines.push(`detail: ${v.stop_detail}`);
  for (const f of v.guard_violation_files) lines.push(`  guard_violation: ${f}`);
  if (v.suggested_command !== null && v.next_action !== 'none') lines.push(`next: ${v.next_action} → ${v.suggested_command}`);
  return lines;
}

export async function statusCommand(ctx: CliContext, runArg: string | undefined, opts: StatusOptions): Promise<void> {
  const store = storeFor(ctx);
  const asJson = ctx.json || !ctx.isTTY;
  if (opts.all) {
    await statusAll(ctx, store, opts, asJson);
    return;
  }
  // A run in the queue (--queue / $RUNR_QUEUE): the registry says where it is until its record is home.
  if (opts.queue !== undefined || process.env.RUNR_QUEUE !== undefined) {
    const { remoteRun, queueJson, queueLine } = await import('../queue/remote.js');
    const r = await remoteRun(ctx, runArg, opts, { wait: false });
    if (r !== null && !r.local) {
      if (asJson) ctx.out(JSON.stringify(queueJson(r.view), null, 2));
      else ctx.out(queueLine(r.view));
      return;
    }
  }
  const id = store.resolve(runArg ?? 'latest', '<run_id>');
  const run = await reconcileIfDead(store, store.load(id).run);
  const view = statusView(run, runAlive(store, id));
  if (asJson) ctx.out(JSON.stringify(view, null, 2));
  else for (const l of human(ctx, view)) ctx.out(l);
}

/** Every run (or those the filters pick), newest first, each printed as soon as it is read. */
async function statusAll(ctx: CliContext, store: RunStore, opts: StatusOptions, asJson: boolean): Promise<void> {
  if (asJson) {
    const { streamListing } = await import('../run/stream-listing.js');
    const { statusViewSource } = await import('./status-views.js');
    const stream = new JsonArrayStream(stdoutSink(), 'runs');
    const r = await streamListing(store, listFilters(opts), listLimit(opts.limit, true), statusViewSource(store), stream);
    stream.end({ problems: r.problems, matched: r.matched, total_runs: r.total });
    return;
  }
  const selection = await selectRuns(store, listFilters(opts), listLimit(opts.limit, asJson));
  const problems = [...selection.problems];
  let n = 0;
  for (const id of selection.ids) {
    let view: StatusView;
    try {
      const run = await reconcileIfDead(store, store.load(id).run);
      view = statusView(run, runAlive(store, run.run_id));
    } catch (err) {
      if (err instanceof InternalError || !(err instanceof Error)) throw err;
      problems.push({ run_id: id, message: err.message });
      continue;
    }
    n++;
    ctx.out(`${view.run_id}  ${view.kind.padEnd(8)} ${view.status.padEnd(8)} ${(view.phase ?? '-').padEnd(10)} ${view.stop_reason ?? ''}`);
  }
  if (n === 0) ctx.out('no runs');
  const more = moreLine(selection.ids.length, selection.matched);
  if (more !== null) ctx.out(more);
  for (const pr of problems) ctx.err(`warning: ${pr.run_id}: ${pr.message}`);
}
