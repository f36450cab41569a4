import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { newBatch } from '../../../studies/batch-new.js';
import { studiesFor } from './shared.js';
import type { BatchNewOptions } from './study-options.js';

export async function batchNewCommand(ctx: CliContext, study: string, opts: BatchNewOptions): Promise<void> {
  const r = await newBatch(studiesFor(ctx, opts), {
    study,
    intent: opts.intent,
    scenarioRev: opts.scenarioRev,
    configRev: opts.configRev,
    objective: opts.objective,
    base: opts.base,
    sweep: opts.sweep,
    seeds: opts.seeds,
    factorial: opts.factorial,
    pipeline: opts.pipeline,
    cwd: ctx.cwd,
    now: new Date(),
  });
  emit(ctx, r, () => [
    `Batch ${r.batch_id}: ${r.variants.length} variant(s) → ${r.manifest}`,
    ...r.variants.map((v) => `  ${v.id.padEnd(36)} seed ${String(v.seed).padEnd(6)} ${Object.keys(v.overrides).length === 0 ? 'baseline' : Object.entries(v.overrides).map(([k, x]) => `${k}=${String(x)}`).join(' ')}`),
    ...(Object.keys(r.base_paths).length === 0 ? ['  (no base paths: add spec files under specs/ or give --base key=path)'] : Object.entries(r.base_paths).map(([k, p]) => `  base ${k}: ${p}`)),
    '',
    `Next: runr batch run ${r.study} ${r.batch_id} --why`,
  ]);
}
