import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { paint } from '../../style.js';
import { ExitCode, InterruptedError, OutcomeError } from '../../../core/errors.js';
import type { BatchRunResult } from '../../../studies/batch-run.js';
import { runBatch } from '../../../studies/batch-run.js';
import { storeOf, studiesFor } from './shared.js';
import type { BatchRunOptions } from './study-options.js';

export function renderBatchRun(r: BatchRunResult, why: boolean, color: boolean): string[] {
  const p = paint(color);
  const L: string[] = [];
  L.push(`${r.dry_run ? 'Dry run: ' : ''}${r.study} ${r.batch_id} (${r.variants.length} variant(s), pipeline ${r.pipeline})`);
  for (const v of r.variants) {
    const ran = v.stages.filter((s) => s.action === 'ran').length;
    const would = v.stages.filter((s) => s.action === 'would_run').length;
    const skipped = v.stages.filter((s) => s.action === 'skipped').length;
    const word =
      v.outcome === 'success' ? p.green('success') : v.outcome === 'up_to_date' ? p.dim('up to date') : v.outcome === 'planned' ? (would > 0 ? `${would} stage(s) to run` : p.dim('up to date')) : v.outcome === 'canceled' ? p.yellow('canceled') : p.red(v.outcome);
    L.push(`${v.variant}  ${word}${v.outcome !== 'planned' && v.outcome !== 'up_to_date' ? ` (ran ${ran}, skipped ${skipped})` : ''}`);
    for (const s of v.stages) {
      const show = why || s.action === 'blocked' || s.status === 'FAIL' || s.status === 'WARN' || (r.dry_run && s.action === 'would_run');
      if (!show) continue;
      const tag = s.action === 'ran' ? (s.status === 'PASS' ? p.green('PASS') : s.status === 'WARN' ? p.yellow('WARN') : p.red('FAIL')) : s.action === 'would_run' ? 'run ' : s.action === 'skipped' ? p.dim('skip') : s.action === 'blocked' ? p.red('stop') : p.yellow('cancel');
      const reasons = s.action === 'skipped' ? ['nothing to do'] : s.why;
      L.push(`  ${s.stage.padEnd(12)} ${tag}  ${reasons.length > 0 ? reasons.join('; ') : ''}`.trimEnd());
      if (s.failure !== null && s.status !== 'PASS') L.push(`  ${''.padEnd(12)}       ${p.red(s.failure)}`);
    }
    if (v.escalated !== null) L.push(`  ${p.red(`escalated: stage ${v.escalated.stage} failed twice in a row — needs a person (see its log)`)}`);
  }
  const c = r.counts;
  L.push('');
  if (r.nothing_to_do) L.push('nothing to do');
  else if (r.dry_run) L.push(`${c.would_run} stage(s) would run, ${c.skipped} skipped`);
  else L.push(`${c.ran} stage(s) ran, ${c.skipped} skipped, ${c.blocked} blocked; ${c.failed_variants} variant(s) failed${c.escalated_variants > 0 ? ` (${c.escalated_variants} escalated)` : ''}`);
  return L;
}

export async function batchRunCommand(ctx: CliContext, study: string, batch: string, opts: BatchRunOptions): Promise<void> {
  const root = studiesFor(ctx, opts);
  const r = await runBatch(root, storeOf(root), {
    study,
    batch,
    variants: opts.variant,
    jobs: opts.jobs,
    dryRun: opts.dryRun,
    pipeline: opts.pipeline,
    note: opts.note ?? null,
    cwd: ctx.cwd,
    signal: ctx.signal,
    now: () => new Date(),
    env: process.env,
  });
  emit(ctx, r, () => renderBatchRun(r, opts.why, ctx.color));
  if (r.canceled) throw new InterruptedError('interrupted: run batch run again to resume');
  if (r.counts.failed_variants > 0) throw new OutcomeError(`${r.counts.failed_variants} variant(s) failed`, ExitCode.failed);
}
