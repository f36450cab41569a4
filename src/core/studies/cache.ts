/**
 * Whether a stage runs, and every reason why (pure). The cache key of a stage × variant is the
 * sha256 of each dep, its resolved command, the params it reads and its seed; a stage is skipped
 * when the key equals the one recorded with its outputs and the outputs still hash as recorded.
 * Unlike Snakemake (first reason only) or DVC (`changed checksum` without saying which field), all
 * the reasons that apply are returned, each naming what changed.
 */
import type { OverrideValue } from './sweep.js';

export interface StageKey {
  /** Repository-relative dep path → sha256 (null: missing). Directories hash their listing. */
  deps: Record<string, string | null>;
  /** sha256 of the command template as written (argv JSON or the shell string). */
  cmd_template: string;
  /** sha256 of the command after substitution (what ran). */
  cmd: string;
  params: Record<string, OverrideValue>;
  seed: number | null;
}

/** What the journal remembers of a stage (see src/core/events/pipeline.ts). */
export interface StageMemory {
  status: 'RUNNING' | 'PASS' | 'WARN' | 'FAIL';
  key: StageKey;
  /** Output path → sha256 when it finished (null: missing). */
  outs: Record<string, string | null>;
  failure_reason: string | null;
}

export type RerunReason =
  | { kind: 'never_ran' }
  | { kind: 'interrupted' }
  | { kind: 'last_failed'; failure: string | null }
  | { kind: 'dep_changed'; path: string; from: string | null; to: string | null }
  | { kind: 'dep_added'; path: string }
  | { kind: 'dep_removed'; path: string }
  | { kind: 'param_changed'; name: string; from: OverrideValue | null; to: OverrideValue | null }
  | { kind: 'seed_changed'; from: number | null; to: number | null }
  | { kind: 'cmd_changed'; what: 'template' | 'resolved' }
  | { kind: 'out_missing'; path: string }
  | { kind: 'out_changed'; path: string; from: string | null; to: string | null }
  | { kind: 'upstream_reran'; stage: string }
  | { kind: 'forced' };
export type RerunReasonKind = RerunReason['kind'];

export interface DecideInput {
  prev: StageMemory | null;
  key: StageKey;
  /** Declared outputs → sha256 now (null: missing). */
  outs: Record<string, string | null>;
  /** Needed stages that ran in this invocation (real run) or will run (dry run). */
  upstream: string[];
  /** In a dry run an upstream rerun alone is a reason (its new outputs are not known yet). */
  upstreamIsReason: boolean;
  forced?: boolean;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every reason the stage must run; empty when it can be skipped. */
export function rerunReasons(i: DecideInput): RerunReason[] {
  const out: RerunReason[] = [];
  if (i.forced === true) out.push({ kind: 'forced' });
  const prev = i.prev;
  if (prev === null) {
    out.push({ kind: 'never_ran' });
    return out;
  }
  if (prev.status === 'RUNNING') out.push({ kind: 'interrupted' });
  if (prev.status === 'FAIL') out.push({ kind: 'last_failed', failure: prev.failure_reason });
  for (const [p, sha] of Object.entries(i.key.deps)) {
    if (!(p in prev.key.deps)) out.push({ kind: 'dep_added', path: p });
    else if (prev.key.deps[p] !== sha) out.push({ kind: 'dep_changed', path: p, from: prev.key.deps[p] ?? null, to: sha });
  }
  for (const p of Object.keys(prev.key.deps)) if (!(p in i.key.deps)) out.push({ kind: 'dep_removed', path: p });
  const names = new Set([...Object.keys(prev.key.params), ...Object.keys(i.key.params)]);
  let paramOrSeed = false;
  for (const n of [...names].sort()) {
    const a = prev.key.params[n] ?? null;
    const b = i.key.params[n] ?? null;
    if (!sameValue(a, b)) {
      out.push({ kind: 'param_changed', name: n, from: a, to: b });
      paramOrSeed = true;
    }
  }
  if (prev.key.seed !== i.key.seed) {
    out.push({ kind: 'seed_changed', from: prev.key.seed, to: i.key.seed });
    paramOrSeed = true;
  }
  if (prev.key.cmd_template !== i.key.cmd_template) out.push({ kind: 'cmd_changed', what: 'template' });
  else if (prev.key.cmd !== i.key.cmd && !paramOrSeed) out.push({ kind: 'cmd_changed', what: 'resolved' });
  if (prev.status !== 'RUNNING') {
    for (const [p, sha] of Object.entries(i.outs)) {
      if (sha === null) out.push({ kind: 'out_missing', path: p });
      else if (!(p in prev.outs)) out.push({ kind: 'out_changed', path: p, from: null, to: sha });
      else if (prev.outs[p] !== sha) out.push({ kind: 'out_changed', path: p, from: prev.outs[p] ?? null, to: sha });
    }
  }
  if (out.length > 0 || i.upstreamIsReason) for (const s of i.upstream) out.push({ kind: 'upstream_reran', stage: s });
  return out;
}

const short = (sha: string | null) => (sha === null ? 'missing' : `${sha.slice(0, 4)}…`);
const val = (v: OverrideValue | null) => (v === null ? 'unset' : typeof v === 'string' ? v : JSON.stringify(v));

/** One line per reason, in the words `batch run --why` prints. `display` shortens a path. */
export function describeReason(r: RerunReason, display: (p: string) => string = (p) => p): string {
  switch (r.kind) {
    case 'never_ran':
      return 'never ran';
    case 'interrupted':
      return 'interrupted: resuming with the same command, seed and config';
    case 'last_failed':
      return `last run failed${r.failure !== null ? `: ${r.failure}` : ''}`;
    case 'dep_changed':
      return `dep changed: ${display(r.path)} (sha ${short(r.from)} → ${short(r.to)})`;
    case 'dep_added':
      return `dep added: ${display(r.path)}`;
    case 'dep_removed':
      return `dep removed: ${display(r.path)}`;
    case 'param_changed':
      return `param ${r.name}: ${val(r.from)} → ${val(r.to)}`;
    case 'seed_changed':
      return `seed: ${r.from ?? 'none'} → ${r.to ?? 'none'}`;
    case 'cmd_changed':
      return r.what === 'template' ? 'cmd changed' : 'cmd changed (a path or value substituted into it)';
    case 'out_missing':
      return `out missing: ${display(r.path)}`;
    case 'out_changed':
      return `out changed: ${display(r.path)} (sha ${short(r.from)} → ${short(r.to)})`;
    case 'upstream_reran':
      return `upstream reran: ${r.stage}`;
    case 'forced':
      return 'forced (--force)';
  }
}

/** What a resumed stage may not change (the document: "do not change seed/config mid-resume"). */
export function resumeConflicts(prev: StageKey, now: StageKey): string[] {
  const out: string[] = [];
  if (prev.seed !== now.seed) out.push(`seed ${prev.seed ?? 'none'} → ${now.seed ?? 'none'}`);
  const names = new Set([...Object.keys(prev.params), ...Object.keys(now.params)]);
  for (const n of [...names].sort()) {
    if (!sameValue(prev.params[n] ?? null, now.params[n] ?? null)) out.push(`param ${n} ${val(prev.params[n] ?? null)} → ${val(now.params[n] ?? null)}`);
  }
  if (prev.cmd_template !== now.cmd_template || (prev.cmd !== now.cmd && out.length === 0)) out.push('command changed');
  return out;
}
