/**
 * `runr watch <run_id> [--auto-resume] [--max-attempts <N>] [--cooldown <s>] [--json]`: the
 * operator guide's autopilot. `--json`: one event per line, each with `run_id` and `ts`.
 * Exit 0 when the run completed, 3 when it stopped (surfaced, gave up, or not auto-resumed).
 */
import type { CliContext } from '../../context.js';
import { runrBin } from '../../self.js';
import { ExitCode, InterruptedError, OutcomeError, UserError } from '../../../core/errors.js';
import type { WatchEvent } from '../../../supervise/watch.js';
import { watchRun } from '../../../supervise/watch.js';
import { storeAndRun } from './common.js';
import type { WatchOptions } from './options.js';

function human(runId: string, e: WatchEvent): string {
  switch (e.event) {
    case 'watching':
      return `watching ${runId}: ${e.phase ?? '-'} (${e.elapsed_s} s into the session)`;
    case 'failed':
      return `stopped: ${e.stop_reason ?? 'unknown'}`;
    case 'resumed':
      return `resumed (attempt ${e.attempt})`;
    case 'succeeded':
      return `Run ${runId} complete: ${e.milestones_completed} milestones`;
    case 'gave_up':
      return `gave up after ${e.attempts} resume attempt${e.attempts === 1 ? '' : 's'}: ${e.stop_reason ?? 'unknown'}${e.detail !== undefined ? ` — ${e.detail}` : ''}`;
    case 'surfaced':
      return [`needs you: ${e.stop_reason ?? 'unknown'} (not auto-resumed)`, ...e.files.map((f) => `  ${f}`), ...(e.suggested_command !== null ? [`next: ${e.next_action ?? ''} → ${e.suggested_command}`] : [])].join('\n');
  }
}

export async function watchCommand(ctx: CliContext, runArg: string, opts: WatchOptions): Promise<void> {
  if (opts.queue !== undefined || process.env.RUNR_QUEUE !== undefined) {
    // A queued or remote run: the queue retries it (a takeover resumes after its last checkpoint),
    // so watch reports its registry states, then the record once it is home.
    const { remoteRun, queueLine } = await import('../queue/remote.js');
    const r = await remoteRun(ctx, runArg, opts, {
      wait: true,
      onFound: () => {
        if (opts.autoResume) throw new UserError('--auto-resume: this run is in the queue, whose workers retry it themselves (a takeover resumes after the last checkpoint)');
      },
      onChange: (v) => ctx.out(ctx.json ? JSON.stringify({ event: 'queue', ts: new Date().toISOString(), ...v }) : queueLine(v)),
    });
    if (r !== null && !r.local) {
      if (!ctx.json) ctx.out(`${queueLine(r.view)} (no record)`);
      throw new OutcomeError('', ExitCode.stopped);
    }
  }
  const { store, runId } = storeAndRun(ctx, runArg);
  const events = watchRun(store, runId, {
    autoResume: opts.autoResume,
    maxAttempts: opts.maxAttempts,
    cooldownMs: Math.round(opts.cooldown * 1000),
    signal: ctx.signal,
    runrBin: runrBin(),
    cwd: ctx.cwd,
    ...(ctx.runsDir !== undefined ? { runsDirArg: ctx.runsDir } : {}),
  });
  let end: 'succeeded' | 'stopped' | 'interrupted';
  for (;;) {
    const n = await events.next();
    if (n.done === true) {
      end = n.value;
      break;
    }
    const e = n.value;
    if (ctx.json) ctx.out(JSON.stringify({ ...e, run_id: runId, ts: new Date().toISOString() }));
    else ctx.out(human(runId, e));
  }
  if (end === 'interrupted') throw new InterruptedError('interrupted');
  if (end === 'stopped') throw new OutcomeError('', ExitCode.stopped);
}
