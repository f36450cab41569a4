/** `runr ops` flags from commander's option bag to typed values; a bad value names its flag (exit 2). */
import { UserError } from '../../../core/errors.js';
import type { OpsFlags } from '../../../core/ops/settings.js';
import { splitArgv } from '../../../core/ops/settings.js';
import type { ReportGenerator } from '../../../core/ops/types.js';
import { REPORT_GENERATORS } from '../../../core/ops/types.js';

/** The raw flag values as the CLI's option table parsed them (strings; switches as booleans). */
export interface OpsRawFlags {
  runtimeDir?: string | undefined;
  preset?: string | undefined;
  runId?: string | undefined;
  seed?: string | undefined;
  models?: string | undefined;
  minValid?: string | undefined;
  poll?: string | undefined;
  timeout?: string | undefined;
  staleAfter?: string | undefined;
  report?: string | undefined;
  strictTmp?: boolean;
  verifier?: string | undefined;
  verifierTimeout?: string | undefined;
  recommend?: boolean;
  exitZero?: boolean;
}

function int(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(v)) throw new UserError(`${flag}: expected an integer, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new UserError(`${flag}: expected an integer >= ${min}, got ${v.trim()}`);
  return n;
}

function seconds(flag: string, v: string | undefined, allowZero: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new UserError(`${flag}: expected a number of seconds${allowZero ? ' >= 0' : ' > 0'}, got ${JSON.stringify(v)}`);
  }
  return n;
}

export function parseOpsFlags(opts: OpsRawFlags): OpsFlags {
  const flags: OpsFlags = {};
  const runtimeDir = opts.runtimeDir;
  if (runtimeDir !== undefined) {
    if (runtimeDir === '') throw new UserError('--runtime-dir: empty path');
    flags.runtimeDir = runtimeDir;
  }
  const preset = opts.preset;
  if (preset !== undefined) flags.preset = preset;
  const runId = opts.runId;
  if (runId !== undefined) flags.runId = runId;
  const seed = int('--seed', opts.seed, Number.MIN_SAFE_INTEGER);
  if (seed !== undefined) flags.seed = seed;
  const models = opts.models;
  // As the harness: an empty --models means no filter; otherwise split on commas and strip.
  if (models !== undefined) flags.models = models === '' ? null : models.split(',').map((m) => m.trim());
  const minValid = int('--min-valid', opts.minValid, 0);
  if (minValid !== undefined) flags.minValid = minValid;
  const poll = seconds('--poll', opts.poll, false);
  if (poll !== undefined) flags.poll = poll;
  const timeout = seconds('--timeout', opts.timeout, true);
  if (timeout !== undefined) flags.timeout = timeout;
  const staleAfter = seconds('--stale-after', opts.staleAfter, false);
  if (staleAfter !== undefined) flags.staleAfter = staleAfter;
  const report = opts.report;
  if (report !== undefined) {
    if (!(REPORT_GENERATORS as readonly string[]).includes(report)) {
      throw new UserError(`--report: unknown generator ${JSON.stringify(report)} (available: ${REPORT_GENERATORS.join(', ')})`);
    }
    flags.report = report as ReportGenerator;
  }
  if (opts.strictTmp === true) flags.strictTmp = true;
  const verifier = opts.verifier;
  if (verifier !== undefined) {
    const argv = splitArgv(verifier);
    if (argv.length === 0) throw new UserError('--verifier: empty command');
    flags.verifier = argv;
  }
  const vt = seconds('--verifier-timeout', opts.verifierTimeout, false);
  if (vt !== undefined) flags.verifierTimeout = vt;
  if (opts.recommend === true) flags.recommend = true;
  if (opts.exitZero === true) flags.exitZero = true;
  return flags;
}
