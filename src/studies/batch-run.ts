/**
 * `runr batch run`: read and check everything first (manifest, pipeline, registry, every
 * variant's templates, resumed stages' seed and config) so bad input writes nothing; then run the
 * variants, up to `jobs` at a time, each in dependency order.
 */
import path from 'node:path';
import { StateError, UserError } from '../core/errors.js';
import { resumeConflicts } from '../core/studies/cache.js';
import type { RunStore } from '../store/run-store.js';
import { StudyLayout } from './layout.js';
import type { StudiesRoot } from './layout.js';
import { readManifest } from './manifest-io.js';
import { loadPipeline } from './pipeline-io.js';
import { readRegistry } from './registry.js';
import type { ResolvedVariant } from './resolve.js';
import { resolveVariant } from './resolve.js';
import type { VariantResult } from './variant-run.js';
import { keyOf, runVariant } from './variant-run.js';
import type { StampedState } from './variant-state.js';
import { journalOf, readPointer, readStampedState } from './variant-state.js';
import { Hasher } from './hash-paths.js';
import { HashCacheFile } from './hash-cache.js';
import type { SkippedStatus } from './state-memo.js';
import { StateMemo, digestOf, statJournal } from './state-memo.js';

export interface BatchRunInput {
  study: string;
  batch: string;
  variants: string[];
  jobs: number;
  dryRun: boolean;
  pipeline: string | undefined;
  note: string | null;
  cwd: string;
  signal: AbortSignal;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  fsync?: boolean;
  /** Run ids chosen beforehand for variants that have no run yet (`runr submit --batch`). */
  runIds?: Readonly<Record<string, string>>;
}

export interface BatchRunResult {
  study: string;
  batch_id: string;
  pipeline: string;
  dry_run: boolean;
  jobs: number;
  variants: VariantResult[];
  counts: { variants: number; ran: number; skipped: number; blocked: number; would_run: number; failed_variants: number; escalated_variants: number };
  nothing_to_do: boolean;
  canceled: boolean;
}

async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

export async function runBatch(root: StudiesRoot, store: RunStore, i: BatchRunInput): Promise<BatchRunResult> {
  const layout = new StudyLayout(root, i.study);
  layout.requireExists();
  const manifestDisplay = layout.display(layout.manifestFile(i.batch));
  const manifest = await readManifest(layout, i.batch);
  const lp = await loadPipeline(layout, i.cwd, i.pipeline);
  readRegistry(layout); // a malformed registry is an error before anything runs
  const ids = manifest.variants.map((v) => v.id);
  for (const v of i.variants) if (!ids.includes(v)) throw new UserError(`--variant: ${v} is not a variant of ${i.batch} (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})`);
  const selected = manifest.variants.map((v, idx) => ({ v, idx })).filter(({ v }) => i.variants.length === 0 || i.variants.includes(v.id));
  const resolved: ResolvedVariant[] = selected.map(({ v, idx }) => resolveVariant(layout, manifest, manifestDisplay, lp, v, idx));
  // The document: "do not change seed/config mid-resume". Checked for every variant before any runs.
  const hasher = new Hasher();
  const hashCache = HashCacheFile.for(layout.batchDir(i.batch), i.env);
  const memo = new StateMemo();
  hashCache.load(hasher, memo);
  const states = new Map<ResolvedVariant, StampedState>();
  const verdicts = new Map<ResolvedVariant, { runId: string; statuses: Record<string, SkippedStatus> }>();
  for (const rv of resolved) {
    const vAbs = path.join(layout.repo, rv.dir);
    // A variant found up to date before, with its journal and every key and output hash as they
    // were then, is up to date now: no record to load (state-memo.ts). It has no interrupted stage.
    const pointed = readPointer(vAbs);
    if (pointed !== null) {
      const journal = journalOf(store, pointed);
      const statuses = memo.lookup(journal, pointed, statJournal(journal), digestOf(hasher, layout.repo, rv));
      if (statuses !== null) {
        verdicts.set(rv, { runId: pointed, statuses });
        continue;
      }
    }
    const stamped = readStampedState(store, vAbs);
    states.set(rv, stamped);
    const state = stamped.state;
    for (const st of rv.stages) {
      const mem = state.section?.stages[st.name];
      if (mem?.status !== 'RUNNING') continue;
      const conflicts = resumeConflicts(mem.key, keyOf(hasher, layout.repo, st));
      if (conflicts.length > 0) {
        throw new StateError(`variant ${rv.variant.id}: stage ${st.name} was interrupted and must resume with the same seed and config, but ${conflicts.join(', ')}; restore them (or make a new batch) and run again`);
      }
    }
  }
  // A plain copy: each stage spreads the environment twice (its process, its checks), and spreading
  // `process.env` itself calls into the C++ environment for every variable.
  const env: NodeJS.ProcessEnv = { ...i.env };
  const ctx = { layout, manifest, pipeline: lp, store, signal: i.signal, now: i.now, env, dryRun: i.dryRun, note: i.note, fsync: i.fsync ?? true, hasher, memo, runIds: i.runIds ?? {} };
  let variants: VariantResult[];
  try {
    variants = await pool(resolved, i.jobs, (rv) => runVariant(ctx, rv, states.get(rv) ?? null, verdicts.get(rv) ?? null));
  } finally {
    if (!i.dryRun) hashCache.save(hasher, memo, i.now().getTime());
  }
  const all = variants.flatMap((v) => v.stages);
  const counts = {
    variants: variants.length,
    ran: all.filter((s) => s.action === 'ran').length,
    skipped: all.filter((s) => s.action === 'skipped').length,
    blocked: all.filter((s) => s.action === 'blocked').length,
    would_run: all.filter((s) => s.action === 'would_run').length,
    failed_variants: variants.filter((v) => v.outcome === 'failed' || v.outcome === 'escalated').length,
    escalated_variants: variants.filter((v) => v.outcome === 'escalated').length,
  };
  return {
    study: i.study,
    batch_id: i.batch,
    pipeline: lp.file,
    dry_run: i.dryRun,
    jobs: i.jobs,
    variants,
    counts,
    nothing_to_do: counts.ran === 0 && counts.would_run === 0 && counts.blocked === 0 && !variants.some((v) => v.outcome === 'canceled'),
    canceled: variants.some((v) => v.outcome === 'canceled'),
  };
}
