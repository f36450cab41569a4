import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { optBool, optStr, str } from '../../options.js';
import { newBatch } from '../../../studies/batch-new.js';
import { studiesFor } from './shared.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export async function batchNewCommand(ctx: CliContext, study: string, opts: Record<string, unknown>): Promise<void> {
  const r = await newBatch(studiesFor(ctx, opts), {
    study,
    intent: str(opts, 'intent', '--intent'),
    scenarioRev: str(opts, 'scenarioRev', '--scenario-rev'),
    configRev: str(opts, 'configRev', '--config-rev'),
    objective: str(opts, 'objective', '--objective'),
    base: list(opts.base),
    sweep: list(opts.sweep),
    seeds: optStr(opts, 'seeds'),
    factorial: optBool(opts, 'factorial'),
    pipeline: optStr(opts, 'pipeline'),
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
