import { UserError } from '../../../core/errors.js';
import { validateRunIdArg } from '../../../core/ids.js';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { withQueue } from './common.js';
import type { QueueOnlyOptions } from './queue-options.js';

const ago = (iso: string | null): string => (iso === null ? '-' : `${Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000))}s ago`);

export async function queueStatusCommand(ctx: CliContext, runArg: string | undefined, opts: QueueOnlyOptions): Promise<void> {
  const { queueStatus, viewOf } = await import('../../../queue/status.js');
  if (runArg !== undefined) {
    const runId = validateRunIdArg(runArg, 'run_id');
    const row = await withQueue(opts, (b) => b.registry.get(runId));
    if (row === null) throw new UserError(`run not found in the queue: ${runId}`);
    const v = viewOf(row);
    emit(ctx, v, () => [`${v.run_id}: ${v.status} (attempt ${v.attempt})`, `worker: ${v.worker ?? '-'}  since: ${v.started_at ?? '-'}  heartbeat: ${ago(v.heartbeat_at)}`, ...(v.stop_reason ? [`stop reason: ${v.stop_reason}`] : []), ...(v.branch_sha ? [`record: runr/${v.run_id} at ${v.branch_sha.slice(0, 12)}`] : [])]);
    return;
  }
  const s = await withQueue(opts, (b) => queueStatus(b));
  emit(ctx, s, () => {
    const c = s.counts;
    const lines = [`queue ${s.queue} (${s.backend}): ${c.queued} queued, ${c.running} running, ${c.succeeded} succeeded, ${c.stopped} stopped, ${c.failed} failed, ${c.canceled} canceled; ${s.fenced_writes} fenced writes refused`];
    for (const r of s.runs.filter((x) => x.status === 'running')) lines.push(`  running  ${r.run_id}  ${r.worker ?? '-'}  since ${r.started_at ?? '-'}  heartbeat ${ago(r.heartbeat_at)}  attempt ${r.attempt}`);
    for (const r of s.runs.filter((x) => x.status === 'queued')) lines.push(`  queued   ${r.run_id}`);
    for (const r of s.runs.filter((x) => x.status !== 'running' && x.status !== 'queued').slice(-20)) lines.push(`  ${r.status.padEnd(8)} ${r.run_id}${r.stop_reason ? `  ${r.stop_reason}` : ''}`);
    return lines;
  });
}
