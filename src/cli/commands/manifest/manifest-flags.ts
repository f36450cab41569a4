/** The options of `runr find` and `runr manifest show|find|rebuild|remove`, declared once. */
import type { CliContext } from '../../context.js';
import { choice, num, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';
import type { ManifestOptions } from '../../../manifest/options.js';

export const FORMATS = ['table', 'json', 'jsonl', 'csv', 'vertical'] as const;
export type Format = (typeof FORMATS)[number];
export const LAYOUTS = ['auto', 'runr', 'esy', 'devbench'] as const;

/** `--dir` is the manifest tool's own name for the runs directory; the global `--runs-dir` works too. */
const dirSpec = () => ({ dir: text('--dir <dir>', "runs directory (default: the project's, .runr/runs or config runs_dir)") });

const queryOutput = () => ({
  orderBy: text('--order-by <keys>', "order, e.g. 'metrics.loss desc, run_id' (default: run id)"),
  limit: num('--limit <n>', 'at most n runs (after ordering)', { integer: true, min: 0 }),
  format: choice('--format <format>', 'output format (--json overrides it)', FORMATS, 'table'),
  ...dirSpec(),
});

export const FIND = queryOutput();
export type FindOptions = ParsedOptions<typeof FIND>;

export const MANIFEST_FIND = {
  framework: text('--framework <name>', 'exact framework'),
  verificationStatus: text('--verification-status <status>', 'exact verification status (pending, verified, warning, …)'),
  minTokens: num('--min-tokens <n>', 'total_tokens_in + total_tokens_out at least n', {}),
  ...queryOutput(),
};
export type ManifestFindOptions = ParsedOptions<typeof MANIFEST_FIND>;

export const MANIFEST_SHOW = dirSpec();
export type ManifestShowOptions = ParsedOptions<typeof MANIFEST_SHOW>;

export const MANIFEST_REBUILD = { ...dirSpec(), layout: choice('--layout <layout>', 'run layout to index', LAYOUTS, 'auto') };
export type ManifestRebuildOptions = ParsedOptions<typeof MANIFEST_REBUILD>;

export const MANIFEST_REMOVE = dirSpec();
export type ManifestRemoveOptions = ParsedOptions<typeof MANIFEST_REMOVE>;

export function manifestOptions(ctx: CliContext, opts: { dir: string | undefined }): ManifestOptions {
  const dir = opts.dir ?? ctx.runsDir;
  return { cwd: ctx.cwd, ...(dir !== undefined ? { runsDir: dir } : {}), warn: (m) => ctx.err(`warning: ${m}`) };
}
