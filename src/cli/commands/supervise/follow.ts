/**
 * `runr follow <run_id> [--since start|now] [--json]`: the run live, from the start of its journal
 * (or only new events), until it is terminal. Human lines: `HH:MM:SS <what happened>`; `--json`:
 * one object per line, `{run_id, seq, ts, type, summary, ...event fields}`, and a last
 * `{"type":"follow.end", run_id, status, phase, stop_reason, milestones_completed, milestones_total}`.
 * Exit 0 when the run completed, 3 when it stopped.
 */
import type { CliContext } from '../../context.js';
import type { ExitCode } from '../../../core/errors.js';
import { ExitCode as ExitCodes, InterruptedError, OutcomeError } from '../../../core/errors.js';
import type { JournalEvent } from '../../../core/events/index.js';
import { describeEvent } from '../../../core/supervise/describe-event.js';
import type { RunRecord } from '../../../core/schemas/run.js';
import type { RunView } from '../../../core/supervise/run-view.js';
import { tailRun } from '../../../supervise/tail-run.js';
import { endLine, outcomeCode, storeAndRun } from './common.js';
import type { FollowOptions } from './options.js';

/** The `--json` line of one event: the journal event without its chain fields, plus the run id and a summary. */
export function followJson(runId: string, e: JournalEvent, after: RunRecord): Record<string, unknown> {
  const { schema_version: _v, prev: _p, seq, ts, type, ...body } = e;
  return { run_id: runId, seq, ts, type, summary: describeEvent(e, after)[0] ?? type, ...body };
}

export function followEndJson(v: RunView): Record<string, unknown> {
  return { type: 'follow.end', run_id: v.run_id, status: v.status, phase: v.phase, stop_reason: v.stop_reason, milestones_completed: v.milestones_completed, milestones_total: v.milestones_total };
}

export async function followCommand(ctx: CliContext, runArg: string, opts: FollowOptions): Promise<void> {
  const since = opts.since;
  if (opts.queue !== undefined || process.env.RUNR_QUEUE !== undefined) {
    // A queued or remote run: its registry states as they change, then its record once it is home.
    const { remoteRun, queueLine } = await import('../queue/remote.js');
    const r = await remoteRun(ctx, runArg, opts, {
      wait: true,
      onChange: (v) => ctx.out(ctx.json ? JSON.stringify({ type: 'queue.state', ts: new Date().toISOString(), ...v }) : `${new Date().toISOString().slice(11, 19)} ${queueLine(v)}`),
    });
    if (r !== null && !r.local) {
      if (ctx.json) ctx.out(JSON.stringify({ type: 'follow.end', run_id: r.view.run_id, status: r.view.status, stop_reason: r.view.stop_reason, source: 'queue' }));
      throw new OutcomeError('', ExitCodes.stopped);
    }
  }
  const { store, runId } = storeAndRun(ctx, runArg);
  let end: RunView | null = null;
  for await (const u of tailRun(store, runId, { since, signal: ctx.signal })) {
    if (u.kind === 'event') {
      if (ctx.json) ctx.out(JSON.stringify(followJson(runId, u.event, u.run)));
      else for (const [i, line] of describeEvent(u.event, u.run).entries()) ctx.out(i === 0 ? `${u.event.ts.slice(11, 19)} ${line}` : `         ${line}`);
    } else if (u.view.terminal) {
      end = u.view;
      break;
    }
  }
  if (end === null) throw new InterruptedError('interrupted');
  if (ctx.json) ctx.out(JSON.stringify(followEndJson(end)));
  else ctx.out(endLine(end));
  const code = outcomeCode(end);
  if (code !== 0) throw new OutcomeError('', code as ExitCode);
}
