/**
 * From command-line flags, a preset and the config to the settings of one RunOps invocation.
 * runr's fix: flags given explicitly override the preset's values, each override reported as a note
 * for stderr (the harness silently ignored `--run-id/--seed/--models/--min-valid` with `--preset`).
 */
import { UserError } from '../errors.js';
import type { OpsPreset } from './presets.js';
import type { ReportGenerator } from './types.js';

export const DEFAULT_RUN_ID = 'autonomous_exec_v0_1_llm';
export const DEFAULT_RUNTIME_DIR = 'runtime';
export const DEFAULT_POLL_S = 15;
export const DEFAULT_TIMEOUT_S = 600;
export const DEFAULT_VERIFIER_TIMEOUT_S = 300;
/** A temp envelope unchanged this long is judged abandoned (its harness crashed) instead of waited for. */
export const DEFAULT_STALE_AFTER_S = 300;

/** Flags as parsed from the command line; undefined when not given. */
export interface OpsFlags {
  runtimeDir?: string;
  preset?: string;
  runId?: string;
  seed?: number;
  models?: string[] | null;
  minValid?: number;
  poll?: number;
  timeout?: number;
  staleAfter?: number;
  report?: ReportGenerator;
  strictTmp?: boolean;
  verifier?: string[];
  verifierTimeout?: number;
  recommend?: boolean;
  exitZero?: boolean;
}

export interface OpsSettings {
  /** As given (relative to the working directory, or absolute); printed as the harness prints it. */
  runtimeDir: string;
  preset: string | null;
  runId: string;
  seed: number | null;
  models: string[] | null;
  minValid: number;
  pollSec: number;
  timeoutSec: number;
  staleAfterSec: number;
  report: ReportGenerator;
  title: string;
  subtitle: string | null;
  reportFilename: string;
  label: string;
  strictTmp: boolean;
  verifier: string[] | null;
  verifierTimeoutSec: number;
  recommend: boolean;
  exitZero: boolean;
}

/** The harness named the custom-mode report `<run_id>.report.md`; glob characters are replaced so the name is a plain file name. */
export function customReportFilename(runId: string): string {
  return `${runId.replace(/[^A-Za-z0-9._-]/g, '_')}.report.md`;
}

const show = (v: string | number | string[] | null | undefined): string => (Array.isArray(v) ? v.join(',') : v === null || v === undefined ? 'none' : String(v));

export function resolveSettings(
  flags: OpsFlags,
  presets: Readonly<Record<string, OpsPreset>>,
  configRuntimeDir: string | undefined,
): { settings: OpsSettings; notes: string[] } {
  const notes: string[] = [];
  let preset: OpsPreset | null = null;
  if (flags.preset !== undefined) {
    preset = presets[flags.preset] ?? null;
    if (preset === null) {
      throw new UserError(`--preset: unknown preset ${JSON.stringify(flags.preset)} (available: ${Object.keys(presets).sort().join(', ')})`);
    }
  }
  const name = flags.preset ?? null;
  /** Flag if given, else the preset's value, else the default; note when a flag changes a preset value. */
  const pick = <T extends string | number | string[] | null>(flag: string, given: T | undefined, fromPreset: T | undefined, fallback: T): T => {
    if (given !== undefined) {
      if (preset !== null && fromPreset !== undefined && show(fromPreset) !== show(given)) {
        notes.push(`${flag} ${show(given)} overrides preset ${name}'s value ${show(fromPreset)}`);
      }
      return given;
    }
    return fromPreset !== undefined ? fromPreset : fallback;
  };
  const runId = pick('--run-id', flags.runId, preset?.run_id, DEFAULT_RUN_ID);
  const settings: OpsSettings = {
    runtimeDir: flags.runtimeDir ?? configRuntimeDir ?? DEFAULT_RUNTIME_DIR,
    preset: name,
    runId,
    seed: pick<number | null>('--seed', flags.seed, preset?.seed, null),
    models: pick<string[] | null>('--models', flags.models, preset?.models, null),
    minValid: pick('--min-valid', flags.minValid, preset?.min_valid, 1),
    pollSec: pick('--poll', flags.poll, preset?.poll, DEFAULT_POLL_S),
    timeoutSec: pick('--timeout', flags.timeout, preset?.timeout, DEFAULT_TIMEOUT_S),
    staleAfterSec: flags.staleAfter ?? DEFAULT_STALE_AFTER_S,
    report: pick<ReportGenerator>('--report', flags.report, preset?.report, preset !== null ? 'compaction-signal' : 'summary'),
    title: preset?.title ?? (preset !== null && name !== null ? name : 'Run Report'),
    subtitle: preset?.subtitle ?? null,
    reportFilename: preset?.report_filename ?? (preset !== null && name !== null ? `${name}.report.md` : customReportFilename(runId)),
    label: preset?.label ?? (name ?? 'RunOps'),
    strictTmp: flags.strictTmp ?? preset?.strict_tmp ?? false,
    verifier: flags.verifier ?? null,
    verifierTimeoutSec: flags.verifierTimeout ?? DEFAULT_VERIFIER_TIMEOUT_S,
    recommend: flags.recommend ?? false,
    exitZero: flags.exitZero ?? false,
  };
  return { settings, notes };
}

/** Split a `--verifier` command line into argv: whitespace separates, '…' and "…" quote, \ escapes. No shell. */
export function splitArgv(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote !== null) throw new UserError(`--verifier: unterminated ${quote} quote`);
  if (has) out.push(cur);
  return out;
}
