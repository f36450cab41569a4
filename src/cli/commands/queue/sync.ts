import { validateRunIdArg } from '../../../core/ids.js';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { withQueue } from './common.js';
import type { QueueOnlyOptions } from './queue-options.js';

export async function queueSyncCommand(ctx: CliContext, ids: string[], opts: QueueOnlyOptions): Promise<void> {
  const only = ids.length > 0 ? ids.map((i) => validateRunIdArg(i, 'run_id')) : undefined;
  const { syncRecords } = await import('../../../queue/sync.js');
  const r = await withQueue(opts, (b) => syncRecords(b, ctx.cwd, only));
  emit(ctx, r, () => [`${r.synced} records synced, ${r.unchanged} unchanged`, ...r.items.filter((i) => i.result === 'error').map((i) => `  ${i.run_id}: ${i.result === 'error' ? i.message : ''}`)]);
}
