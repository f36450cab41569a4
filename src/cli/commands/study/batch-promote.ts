import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { ExitCode, OutcomeError } from '../../../core/errors.js';
import { promoteBatch } from '../../../studies/promote.js';
import { storeOf, studiesFor } from './shared.js';
import type { BatchPromoteOptions } from './study-options.js';

export async function batchPromoteCommand(ctx: CliContext, study: string, batch: string, opts: BatchPromoteOptions): Promise<void> {
  const root = studiesFor(ctx, opts);
  const r = await promoteBatch(root, storeOf(root), { study, batch, cwd: ctx.cwd, pipeline: opts.pipeline });
  emit(ctx, r, () => [
    ...r.conditions.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
    '',
    r.promoted ? `Promoted ${r.batch_id}: ${r.latest_file}${r.previous !== null && r.previous !== r.batch_id ? ` (was ${r.previous})` : ''}` : `Not promoted: ${r.latest_file} unchanged`,
  ]);
  if (!r.promoted) throw new OutcomeError(`not promoted: ${r.conditions.filter((c) => !c.ok).map((c) => c.name).join(', ')}`, ExitCode.failed);
}
