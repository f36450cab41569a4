/**
 * `runr report <run_id|latest> [--kpi-only] [--json]`: KPIs (duration, phase timings,
 * verification attempts), the outcome and what to do next — all from the record and the one
 * stop-reason registry. Correct for running, stopped and completed runs.
 */
import type { CliContext } from '../../context.js';
import { storeFor } from '../store-opts.js';
import type { ReportOptions } from './task-options.js';
import { paint } from '../../style.js';
import type { RunRecord } from '../../../core/schemas/run.js';
import { lastEventAt, taskInfoOf, taskStateOf } from '../../../core/tasks/record.js';
import type { ReportView } from '../../../core/tasks/views.js';
import { reportView } from '../../../core/tasks/views.js';
import { reconcileIfDead } from '../../../tasks/reconcile.js';
import { runAlive } from '../../../tasks/run-lock.js';

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

function kpiLines(ctx: CliContext, r: ReportView): string[] {
  const p = paint(ctx.color);
  const outcome = r.outcome === 'complete' ? p.green('complete') : r.outcome === 'running' ? p.bold('running') : p.yellow(r.outcome);
  const lines = [
    `${p.bold(r.run_id)}  ${outcome}${r.stop_reason !== null && r.stop_reason !== 'complete' ? ` (${r.stop_reason})` : ''}  phase ${r.phase ?? '-'}`,
    `duration ${secs(r.total_duration_ms)}  started ${r.started_at}${r.ended_at !== null ? `  ended ${r.ended_at}` : ''}`,
    `milestones ${r.milestones.completed}/${r.milestones.total}${r.checkpoint_sha !== null ? `  checkpoint ${r.checkpoint_sha}` : ''}`,
    'phases:',
  ];
  for (const [phase, v] of Object.entries(r.phases)) lines.push(`  ${phase.padEnd(10)} ${String(v.count).padStart(3)}×  ${secs(v.duration_ms)}`);
  lines.push(`verify: ${r.verify.attempts} command runs, ${r.verify.retries} retries, ${secs(r.verify.total_duration_ms)}`);
  return lines;
}

function detailLines(run: RunRecord, r: ReportView): string[] {
  const s = taskStateOf(run);
  if (s === null) return [];
  const info = taskInfoOf(run);
  const lines = [`task ${info.task.file} (${info.task.title})  branch ${info.git.branch}${info.git.worktree !== null ? `  worktree ${info.git.worktree}` : ''}`, 'milestones:'];
  for (const m of s.milestones) lines.push(`  ${m.id} ${m.status.padEnd(11)} ${m.goal}${m.checkpoint_sha !== null ? ` @ ${m.checkpoint_sha.slice(0, 12)}` : ''} (implement ×${m.implement_attempts}, verify failures ${m.verify_failures_total})`);
  if (r.stop_reason !== null && r.stop_reason !== 'complete') lines.push(`stop_reason: ${r.stop_reason}${s.stop_detail !== null ? ` — ${s.stop_detail}` : ''}`);
  for (const v of s.guard_violations) lines.push(`  guard_violation: ${v.path} (${v.rule}${v.detail !== undefined ? `: ${v.detail}` : ''})`);
  if (s.feedback?.kind === 'verify') lines.push(`last verification failure: ${s.feedback.tier} \`${s.feedback.command}\` exit ${s.feedback.exit_code ?? 'none'}`, ...s.feedback.output_tail.split('\n').slice(-15).map((l) => `  | ${l}`));
  if (s.feedback?.kind === 'review') lines.push('review requested:', ...s.feedback.changes.map((c) => `  - ${c}`));
  return lines;
}

export async function reportCommand(ctx: CliContext, runArg: string, opts: ReportOptions): Promise<void> {
  const store = storeFor(ctx);
  const id = store.resolve(runArg, '<run_id>');
  const run = await reconcileIfDead(store, store.load(id).run);
  const view = reportView(run, runAlive(store, id), new Date(), lastEventAt(run));
  const html = opts.html;
  if (html !== undefined && html !== '') {
    const { writeView } = await import('../../../view/write.js');
    const page = await writeView({ cwd: ctx.cwd, runsDir: store.runsDir, out: html, scope: 'run', runIds: [id], title: `runr report — ${id}` });
    ctx.err(`wrote ${store.display(page.file)} (${(page.bytes / 1024).toFixed(1)} KB)`);
  }
  if (ctx.json) {
    ctx.out(JSON.stringify(view, null, 2));
    return;
  }
  for (const l of kpiLines(ctx, view)) ctx.out(l);
  if (!opts.kpiOnly) for (const l of detailLines(run, view)) ctx.out(l);
  if (view.next_action !== 'none' && view.suggested_command !== null) ctx.out(`next: ${view.next_action} → ${view.suggested_command}`);
}
