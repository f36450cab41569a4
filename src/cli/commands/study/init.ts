import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { initStudy } from '../../../studies/init.js';
import { studiesFor } from './shared.js';
import type { StudyInitOptions } from './study-options.js';

export function studyInitCommand(ctx: CliContext, study: string, opts: StudyInitOptions): Promise<void> {
  const r = initStudy(studiesFor(ctx, opts), study, { pipeline: opts.pipeline });
  emit(ctx, r, () => [
    r.created.length > 0 ? `Study ${r.study} in ${r.dir}/` : `Study ${r.study} already exists in ${r.dir}/ (nothing changed)`,
    ...r.created.map((f) => `  created ${f}`),
    ...(r.created.length > 0 ? r.kept.map((f) => `  kept    ${f}`) : []),
    '',
    `Next: put base specs in ${r.dir}/specs/, then: runr batch new ${r.study} --intent baseline --scenario-rev scn-v01 --config-rev cfg-v01 --objective "..." --seeds 42,43,44`,
  ]);
  return Promise.resolve();
}
