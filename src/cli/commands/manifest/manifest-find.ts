/** `runr find '<expr>'` and `runr manifest find [expr] --framework … --verification-status … --min-tokens …`. */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import type { FieldRef } from '../../../core/query/fields.js';
import type { FindRunsOptions } from '../../../manifest/find.js';
import { prepareFind, scanRuns } from '../../../manifest/find.js';
import { displayPath } from '../../../manifest/paths.js';
import { renderEntries } from './manifest-format.js';
import { manifestOptions } from './manifest-flags.js';
import type { ManifestFindOptions } from './manifest-flags.js';

/** `runr find` has no filter flags: the same options with the filters absent. */
type AnyFindOptions = Omit<ManifestFindOptions, 'framework' | 'verificationStatus' | 'minTokens'> & Partial<ManifestFindOptions>;

export async function findCommand(ctx: CliContext, expr: string | null, opts: AnyFindOptions): Promise<void> {
  const format = opts.format;
  const filters: FindRunsOptions = {
    query: expr,
    framework: opts.framework ?? null,
    verificationStatus: opts.verificationStatus ?? null,
    minTokens: opts.minTokens ?? null,
    orderBy: opts.orderBy ?? null,
    limit: opts.limit ?? null,
  };
  const prepared = prepareFind(filters);
  const { runs, total, file, missing } = await scanRuns(prepared, manifestOptions(ctx, opts));
  if (missing) ctx.err(`note: ${displayPath(file, ctx.cwd)} does not exist yet; \`runr manifest rebuild\` indexes the runs already there`);
  const extra: FieldRef[] = [...(prepared.filters.query?.fields ?? []), ...prepared.order.map((k) => k.field)];
  emit(
    ctx,
    {
      manifest: displayPath(file, ctx.cwd),
      query: expr,
      framework: filters.framework ?? null,
      verification_status: filters.verificationStatus ?? null,
      min_tokens: filters.minTokens ?? null,
      order_by: filters.orderBy ?? null,
      limit: filters.limit ?? null,
      total_runs: total,
      count: runs.length,
      runs,
    },
    () => {
      const lines = renderEntries(format, runs, extra);
      if (format === 'table') lines.push(`${runs.length} of ${total} run${total === 1 ? '' : 's'}`);
      // One write: a table of 100,000 lines is much faster as one string.
      return lines.length === 0 ? [] : [lines.join('\n')];
    },
  );
}
