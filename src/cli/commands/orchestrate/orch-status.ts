/** `orchestrate status` and `orchestrate report`: text or JSON (shapes in docs/orchestrate.md). */
import { StateError } from '../../../core/errors.js';
import { orchestrationOf } from '../../../core/orchestrate/state.js';
import type { ReportView, StatusView } from '../../../core/orchestrate/views.js';
import { reportView, statusView } from '../../../core/orchestrate/views.js';
import type { CliContext } from '../../context.js';
import { paint } from '../../style.js';
import { openOrchestrationStore, resolveOrchestration } from '../../../orchestrate/session.js';
import { currentRun } from '../../../orchestrate/wait.js';

export function renderStatus(ctx: CliContext, v: StatusView): string[] {
  const p = paint(ctx.color);
  const color = (s: string) => (v.status === 'complete' ? p.green(s) : v.status === 'stopped' ? p.yellow(s) : s);
  const out = [color(`Orchestration ${v.orchestration_id}: ${v.status}${v.stop_reason !== null && v.status === 'stopped' ? ` (${v.stop_reason})` : ''} — ${v.landed}/${v.tasks_total} tasks landed on ${v.integration_branch}, policy ${v.policy}`)];
  for (const t of v.tracks) {
    out.push(`  ${t.id}: ${t.state}`);
    for (const k of t.tasks) {
      const extra = [k.run_id ?? 'no run yet', k.stop_reason, k.waiting_on !== null ? `waiting on ${k.waiting_on.join(', ')}` : null, k.landed_order !== null ? `landed #${k.landed_order}` : null].filter((x) => x !== null).join(', ');
      out.push(`    ${k.state.padEnd(10)} ${k.path} (${extra})${k.detail !== null && k.state !== 'landed' ? ` — ${k.detail}` : ''}`);
      if (k.suggested_command !== null && k.state !== 'landed') out.push(`               next: ${k.suggested_command}`);
    }
  }
  if (v.suggested_command !== null) out.push(`Next: ${v.suggested_command}`);
  return out;
}

function renderReport(ctx: CliContext, v: ReportView): string[] {
  const out = renderStatus(ctx, v);
  out.push('', `Landed on ${v.integration_branch} (in order):`);
  if (v.landed_tasks.length === 0) out.push('  (nothing)');
  for (const l of v.landed_tasks) out.push(`  #${l.order} ${l.track}: ${l.path} (${l.run_id ?? '-'}) → ${l.integration_head.slice(0, 12)}`);
  out.push('', 'Not landed:');
  if (v.not_landed.length === 0) out.push('  (nothing)');
  for (const n of v.not_landed) out.push(`  ${n.track}: ${n.path} — ${n.state}${n.reason !== null ? `: ${n.reason}` : ''}${n.detail !== null ? ` (${n.detail})` : ''}`);
  out.push('', `Collisions predicted: ${v.predicted.length}`);
  for (const c of v.predicted) out.push(`  ${c.kind}: ${c.track} vs ${c.other ?? v.integration_branch} on ${c.files.join(', ')}${c.checkpoint !== null ? ` (checkpoint ${c.checkpoint.sha.slice(0, 12)} of ${c.checkpoint.track})` : ''} → ${c.action}`);
  out.push('', `Merge dry-runs: ${v.dry_runs.pairs} after ${v.dry_runs.checkpoints} checkpoints (${v.dry_runs.total_ms.toFixed(0)} ms)`);
  return out;
}

export async function orchestrateStatusCommand(ctx: CliContext, arg: string, which: 'status' | 'report'): Promise<void> {
  const { runsDir } = ctx;
  const store = openOrchestrationStore({ cwd: ctx.cwd, ...(runsDir !== undefined ? { runsDir } : {}) });
  const id = resolveOrchestration(store, arg);
  const run = await currentRun(store, id);
  const s = orchestrationOf(run);
  if (s === null) throw new StateError(`orchestration ${id} has no state (it failed before it started)`);
  const v = which === 'status' ? statusView(run, s) : reportView(run, s, new Date().toISOString());
  if (ctx.json) ctx.out(JSON.stringify(v, null, 2));
  else for (const l of which === 'status' ? renderStatus(ctx, v) : renderReport(ctx, v as ReportView)) ctx.out(l);
}
