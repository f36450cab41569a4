/** Flag parsing shared by the manifest commands. */
import type { CliContext } from '../../context.js';
import { UserError } from '../../../core/errors.js';
import type { ManifestOptions } from '../../../manifest/options.js';

export const FORMATS = ['table', 'json', 'jsonl', 'csv', 'vertical'] as const;
export type Format = (typeof FORMATS)[number];

function str(opts: Record<string, unknown>, key: string): string | undefined {
  const v = opts[key];
  return typeof v === 'string' ? v : undefined;
}

export function manifestOptions(ctx: CliContext, opts: Record<string, unknown>): ManifestOptions {
  const dir = str(opts, 'dir') ?? str(opts, 'runsDir');
  return { cwd: ctx.cwd, ...(dir !== undefined ? { runsDir: dir } : {}), warn: (m) => ctx.err(`warning: ${m}`) };
}

export function parseFormat(opts: Record<string, unknown>): Format {
  const f = str(opts, 'format') ?? 'table';
  if (!(FORMATS as readonly string[]).includes(f)) throw new UserError(`--format: expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(f)}`);
  return f as Format;
}

export function parseCount(opts: Record<string, unknown>, key: string, flag: string): number | null {
  const v = str(opts, key);
  if (v === undefined) return null;
  if (!/^\d+$/.test(v.trim())) throw new UserError(`${flag}: expected a whole number ≥ 0, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function parseNumber(opts: Record<string, unknown>, key: string, flag: string): number | null {
  const v = str(opts, key);
  if (v === undefined) return null;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UserError(`${flag}: expected a number, got ${JSON.stringify(v)}`);
  return n;
}

export function optString(opts: Record<string, unknown>, key: string): string | null {
  return str(opts, key) ?? null;
}
