/** `runr ops` flags from commander's option bag to typed values; a bad value names its flag (exit 2). */
import { UserError } from '../../../core/errors.js';
import type { OpsFlags } from '../../../core/ops/settings.js';
import { splitArgv } from '../../../core/ops/settings.js';
import type { ReportGenerator } from '../../../core/ops/types.js';
import { REPORT_GENERATORS } from '../../../core/ops/types.js';

const str = (opts: Record<string, unknown>, k: string): string | undefined => (typeof opts[k] === 'string' ? opts[k] : undefined);

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

export function parseOpsFlags(opts: Record<string, unknown>): OpsFlags {
  const flags: OpsFlags = {};
  const runtimeDir = str(opts, 'runtimeDir');
  if (runtimeDir !== undefined) {
    if (runtimeDir === '') throw new UserError('--runtime-dir: empty path');
    flags.runtimeDir = runtimeDir;
  }
  const preset = str(opts, 'preset');
  if (preset !== undefined) flags.preset = preset;
  const runId = str(opts, 'runId');
  if (runId !== undefined) flags.runId = runId;
  const seed = int('--seed', str(opts, 'seed'), Number.MIN_SAFE_INTEGER);
  if (seed !== undefined) flags.seed = seed;
  const models = str(opts, 'models');
  // As the harness: an empty --models means no filter; otherwise split on commas and strip.
  if (models !== undefined) flags.models = models === '' ? null : models.split(',').map((m) => m.trim());
  const minValid = int('--min-valid', str(opts, 'minValid'), 0);
  if (minValid !== undefined) flags.minValid = minValid;
  const poll = seconds('--poll', str(opts, 'poll'), false);
  if (poll !== undefined) flags.poll = poll;
  const timeout = seconds('--timeout', str(opts, 'timeout'), true);
  if (timeout !== undefined) flags.timeout = timeout;
  const report = str(opts, 'report');
  if (report !== undefined) {
    if (!(REPORT_GENERATORS as readonly string[]).includes(report)) {
      throw new UserError(`--report: unknown generator ${JSON.stringify(report)} (available: ${REPORT_GENERATORS.join(', ')})`);
    }
    flags.report = report as ReportGenerator;
  }
  if (opts.strictTmp === true) flags.strictTmp = true;
  const verifier = str(opts, 'verifier');
  if (verifier !== undefined) {
    const argv = splitArgv(verifier);
    if (argv.length === 0) throw new UserError('--verifier: empty command');
    flags.verifier = argv;
  }
  const vt = seconds('--verifier-timeout', str(opts, 'verifierTimeout'), false);
  if (vt !== undefined) flags.verifierTimeout = vt;
  if (opts.recommend === true) flags.recommend = true;
  if (opts.exitZero === true) flags.exitZero = true;
  return flags;
}
