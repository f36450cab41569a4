/** `orchestrate wait` (exit codes as `runr wait`: 0 / 3 / 124 / 2) and `orchestrate follow`. */
import { ExitCode as Codes, OutcomeError, StateError } from '../../../core/errors.js';
import type { JournalEvent } from '../../../core/events/index.js';
import { orchestrationOf } from '../../../core/orchestrate/state.js';
import { statusView } from '../../../core/orchestrate/views.js';
import type { CliContext } from '../../context.js';
import { openOrchestrationStore, resolveOrchestration } from '../../../orchestrate/session.js';
import { followEvents, waitFor } from '../../../orchestrate/wait.js';
import type { OrchWaitOptions } from './orch-options.js';
import { renderStatus } from './orch-status.js';
import { ORCH_DESCRIBE } from '../../../core/orchestrate/describe.js';


export async function orchestrateWaitCommand(ctx: CliContext, arg: string, opts: OrchWaitOptions): Promise<void> {
  const { runsDir } = ctx;
  const { for: cond, timeout } = opts;
  const store = openOrchestrationStore({ cwd: ctx.cwd, ...(runsDir !== undefined ? { runsDir } : {}) });
  const id = resolveOrchestration(store, arg);
  const r = await waitFor(store, id, cond, { signal: ctx.signal, ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}) });
  const s = orchestrationOf(r.run);
  if (s === null) throw new StateError(`orchestration ${id} has no state (it failed before it started)`);
  const v = { ...statusView(r.run, s), wait: { for: cond, result: r.result } };
  if (ctx.json) ctx.out(JSON.stringify(v, null, 2));
  else {
    for (const l of renderStatus(ctx, v)) ctx.out(l);
    if (r.result === 'timeout') ctx.out(`still ${s.status} after ${timeout ?? 0} s`);
  }
  if (r.result === 'interrupted') throw new OutcomeError('', Codes.interrupted);
  if (r.result === 'timeout') throw new OutcomeError('', Codes.timedOut);
  if (r.result === 'impossible' || s.status !== 'complete') {
    // `--for stop` met by a stop is still a stop: exit 3 tells the outcome, as `runr wait` does.
    throw new OutcomeError('', Codes.stopped);
  }
}

function describe(e: JournalEvent): string {
  const d = ORCH_DESCRIBE[e.type as keyof typeof ORCH_DESCRIBE] as ((x: JournalEvent) => string[]) | undefined;
  return d === undefined ? e.type : d(e).join('\n');
}

export async function orchestrateFollowCommand(ctx: CliContext, arg: string): Promise<void> {
  const { runsDir } = ctx;
  const store = openOrchestrationStore({ cwd: ctx.cwd, ...(runsDir !== undefined ? { runsDir } : {}) });
  const id = resolveOrchestration(store, arg);
  for await (const e of followEvents(store, id, { signal: ctx.signal, fromSeq: 0 })) {
    if (ctx.json) ctx.out(JSON.stringify(e));
    else ctx.out(`${e.ts} ${describe(e)}`);
  }
  if (ctx.signal.aborted) throw new OutcomeError('', Codes.interrupted);
}
