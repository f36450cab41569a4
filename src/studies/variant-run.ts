/**
 * One variant of a batch run: under the variant's lock, decide each stage in dependency order
 * (skip when the cache key and outputs are as recorded), run the ones that must run and judge
 * them after exit, stop what is downstream of a FAIL, escalate a stage that failed in two
 * executions in a row, and append one registry row when anything ran. A dry run decides only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StateError } from '../core/errors.js';
import type { VariantOutcome, StageStatus } from '../core/events/pipeline.js';
import type { RerunReason, StageKey, StageMemory } from '../core/studies/cache.js';
import { describeReason, rerunReasons } from '../core/studies/cache.js';
import type { PipelineSection } from '../core/studies/run-section.js';
import { readPipelineSection } from '../core/studies/run-section.js';
import { VERSION } from '../core/version.js';
import { slugify } from '../core/ids.js';
import { acquireLock } from '../store/lock.js';
import type { RunStore } from '../store/run-store.js';
import type { BatchManifest } from '../core/studies/manifest.js';
import type { StudyLayout } from './layout.js';
import type { LoadedPipeline } from './pipeline-io.js';
import { appendRegistryRow, registryTime } from './registry.js';
import type { ResolvedStage, ResolvedVariant } from './resolve.js';
import type { EventBody } from '../core/events/index.js';
import type { Hasher } from './hash-paths.js';
import type { StampedState } from './variant-state.js';
import { VARIANT_LOCK, journalOf, orphanStage, readStampedState, rereadState, variantBusy, writePointer } from './variant-state.js';
import type { SkippedStatus, StateMemo } from './state-memo.js';
import { digestOf } from './state-memo.js';

export type StageAction = 'ran' | 'skipped' | 'blocked' | 'would_run' | 'canceled';

export interface StageResult {
  stage: string;
  action: StageAction;
  status: StageStatus | null;
  reasons: RerunReason[];
  why: string[];
  failure: string | null;
  duration_ms: number | null;
}

export interface VariantResult {
  variant: string;
  seed: number;
  overrides: Record<string, string | number | boolean>;
  run_id: string | null;
  /** The outcome of this invocation's execution; `up_to_date` when nothing had to run; `planned` in a dry run. */
  outcome: VariantOutcome | 'up_to_date' | 'planned';
  execution: number | null;
  escalated: { stage: string; failure: string | null } | null;
  stages: StageResult[];
  notes: string | null;
}

export interface VariantRunContext {
  layout: StudyLayout;
  manifest: BatchManifest;
  pipeline: LoadedPipeline;
  store: RunStore;
  signal: AbortSignal;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  dryRun: boolean;
  note: string | null;
  fsync: boolean;
  hasher: Hasher;
  /** Run ids chosen beforehand, by variant id (a queued variant's run has the id its submit made). */
  runIds: Readonly<Record<string, string>>;
  /** Up-to-date verdicts (state-memo.ts): the first look records one when nothing has to run. */
  memo: StateMemo | null;
}

export function memoryOf(section: PipelineSection | null, stage: string): StageMemory | null {
  const s = section?.stages[stage];
  if (s === undefined) return null;
  return { status: s.status, key: s.key, outs: s.outs, failure_reason: s.failure_reason };
}

export function keyOf(hasher: Hasher, repo: string, st: ResolvedStage): StageKey {
  return { ...st.keyBase, deps: hasher.hashAll(repo, st.deps) };
}

export function displayPath(layout: StudyLayout, rv: ResolvedVariant): (p: string) => string {
  return (p) => (p.startsWith(`${rv.dir}/`) ? p.slice(rv.dir.length + 1) : layout.inStudy(p));
}

function notesOf(ran: string[], skipped: string[], blocked: string[], failures: string[], outcome: VariantOutcome, note: string | null): string {
  const parts: string[] = [];
  if (note !== null && note !== '') parts.push(note);
  if (outcome === 'escalated') parts.push('escalated: same gate failed twice');
  parts.push(`ran ${ran.length > 0 ? ran.join(', ') : 'nothing'}`);
  if (skipped.length > 0) parts.push(`skipped ${skipped.length}`);
  if (blocked.length > 0) parts.push(`blocked ${blocked.join(', ')}`);
  parts.push(...failures);
  if (outcome === 'canceled') parts.push('canceled');
  return parts.join('; ');
}

/** Decide every stage without running anything (a dry run, and the unlocked first look of a real run). */
function plan(ctx: VariantRunContext, rv: ResolvedVariant, section: PipelineSection | null, upstreamIsReason: boolean): StageResult[] {
  const repo = ctx.layout.repo;
  const display = displayPath(ctx.layout, rv);
  const results: StageResult[] = [];
  const willRun = new Set<string>();
  for (const st of rv.stages) {
    const reasons = rerunReasons({ prev: memoryOf(section, st.name), key: keyOf(ctx.hasher, repo, st), outs: ctx.hasher.hashAll(repo, st.outs), upstream: st.needs.filter((n) => willRun.has(n)), upstreamIsReason });
    if (reasons.length > 0) willRun.add(st.name);
    const prev = section?.stages[st.name]?.status;
    results.push({ stage: st.name, action: reasons.length > 0 ? 'would_run' : 'skipped', status: prev === 'RUNNING' || prev === undefined ? null : prev, reasons, why: reasons.map((r) => describeReason(r, display)), failure: null, duration_ms: null });
  }
  return results;
}

/** A variant found up to date by a remembered verdict (state-memo.ts), with each stage's recorded status. */
export interface KnownUpToDate {
  runId: string;
  statuses: Record<string, SkippedStatus>;
}

export async function runVariant(ctx: VariantRunContext, rv: ResolvedVariant, pre: StampedState | null = null, known: KnownUpToDate | null = null): Promise<VariantResult> {
  const repo = ctx.layout.repo;
  const vAbs = path.join(repo, rv.dir);
  const display = displayPath(ctx.layout, rv);
  const base = { variant: rv.variant.id, seed: rv.variant.seed, overrides: rv.variant.overrides };
  if (known !== null && (ctx.dryRun || !variantBusy(vAbs))) {
    const stages = rv.stages.map((st): StageResult => ({ stage: st.name, action: 'skipped', status: known.statuses[st.name] ?? null, reasons: [], why: [], failure: null, duration_ms: null }));
    return { ...base, run_id: known.runId, outcome: ctx.dryRun ? 'planned' : 'up_to_date', execution: null, escalated: null, stages, notes: null };
  }
  const first = pre ?? readStampedState(ctx.store, vAbs);
  if (ctx.dryRun) {
    // A real run does not count an upstream rerun alone as a reason (its new outputs may hash the
    // same); a dry run cannot know them yet, so it does.
    const stages = plan(ctx, rv, first.state.section, true);
    return { ...base, run_id: first.state.runId, outcome: 'planned', execution: null, escalated: null, stages, notes: null };
  }
  // First look, without the variant's lock: when no stage has a reason to run (so none would run,
  // and none is interrupted or held by a live stage process), and no batch run holds the variant,
  // it is up to date. The common case of an unchanged batch takes no lock and writes nothing.
  // Otherwise the decision is made again, properly, under the lock.
  if (first.state.runId !== null) {
    const look = plan(ctx, rv, first.state.section, false);
    if (look.every((r) => r.action === 'skipped') && !variantBusy(vAbs)) {
      const statuses: Record<string, SkippedStatus> = {};
      for (const r of look) statuses[r.stage] = r.status === 'PASS' || r.status === 'WARN' ? r.status : null;
      ctx.memo?.record(journalOf(ctx.store, first.state.runId), first.state.runId, first.journal, digestOf(ctx.hasher, repo, rv), statuses);
      return { ...base, run_id: first.state.runId, outcome: 'up_to_date', execution: null, escalated: null, stages: look, notes: null };
    }
  }

  fs.mkdirSync(vAbs, { recursive: true });
  const lock = await acquireLock(path.join(vAbs, VARIANT_LOCK), { waitMs: 0, heartbeatMs: 5_000, staleMs: 60_000, purpose: `batch run ${ctx.manifest.batch_id} --variant ${rv.variant.id}` }).catch((err: unknown) => {
    if (!(err instanceof StateError)) throw err;
    throw new StateError(`variant ${rv.variant.id} is being run by another batch run (${err instanceof Error ? err.message : String(err)})`);
  });
  try {
    const state = rereadState(ctx.store, vAbs, first);
    if (state.runId !== null) {
      const orphan = orphanStage(ctx.store, state.runId);
      if (orphan !== null) throw new StateError(`variant ${rv.variant.id}: stage ${orphan.stage} is still running as pid ${orphan.pid} (left by a batch run that was killed); wait for it to exit, or stop it with: kill -TERM -${orphan.pid}; then run batch run again`);
    }
    let runId = state.runId;
    let section = state.section;
    let execution: number | null = null;
    const results: StageResult[] = [];
    const ran: string[] = [];
    const skipped: string[] = [];
    const blocked: string[] = [];
    const failed = new Set<string>();
    const failures: string[] = [];
    let escalated: VariantResult['escalated'] = null;
    let canceled = false;
    const resumed = rv.stages.filter((s) => section?.stages[s.name]?.status === 'RUNNING').map((s) => s.name);
    // One journal append per stage: a stage's `stage.finished` waits (in memory, never while a
    // stage process runs) for the next append — the next stage's `stage.started` or the
    // variant's `pipeline.finished` — and goes in the same write and flush, in the same order.
    let unwritten: EventBody[] = [];
    const append = async (id: string, events: EventBody[]): Promise<void> => {
      const all = [...unwritten, ...events];
      unwritten = [];
      section = readPipelineSection(await ctx.store.mutate(id, () => all));
    };

    // The variant's first execution: the run is created with its start in the same (first) journal
    // write, and the pointer is written once the run's directory exists, before anything is
    // journaled (a pointer to a run without a record is ignored: variant-state.ts).
    let pointerFlushed: Promise<void> = Promise.resolve();
    const start = async (firstStage: (execution: number) => EventBody) => {
      const startedAs = (e: number): EventBody => ({ type: 'pipeline.started', execution: e, study: ctx.layout.study, batch: ctx.manifest.batch_id, variant: rv.variant.id, seed: rv.variant.seed, scenario_rev: ctx.manifest.scenario_rev, config_rev: ctx.manifest.config_rev, resumed });
      if (runId === null) {
        const chosen = ctx.runIds[rv.variant.id];
        const run = await ctx.store.create(
          {
            kind: 'pipeline',
            workflow: { name: 'pipeline', version: VERSION, slug: slugify(`${ctx.layout.study}-${rv.variant.id}`).slice(0, 60).replace(/[-._]+$/, ''), artifact_path: rv.dir, file: ctx.pipeline.file, sha256: ctx.pipeline.sha256 },
            depth: 'standard',
            prompt: null,
            params: { study: ctx.layout.study, batch: ctx.manifest.batch_id, variant: rv.variant.id, seed: rv.variant.seed, ...rv.variant.overrides, scenario_rev: ctx.manifest.scenario_rev, config_rev: ctx.manifest.config_rev },
            tags: { study: ctx.layout.study, batch: ctx.manifest.batch_id },
            gates: [],
          },
          { ...(chosen !== undefined ? { runId: chosen } : {}), beforeWrite: (id) => {
              pointerFlushed = writePointer(vAbs, id);
            }, alsoRecord: () => [startedAs(1), firstStage(1)] },
        );
        runId = run.run_id;
        execution = 1;
        section = readPipelineSection(run);
        return;
      }
      execution = (section?.execution ?? 0) + 1;
      await append(runId, [startedAs(execution), firstStage(execution)]);
    };

    try {
      for (const st of rv.stages) {
        if (canceled) break;
        if (st.needs.some((n) => failed.has(n) || blocked.includes(n))) {
          blocked.push(st.name);
          results.push({ stage: st.name, action: 'blocked', status: null, reasons: [], why: [`blocked: ${st.needs.filter((n) => failed.has(n) || blocked.includes(n)).join(', ')} did not pass`], failure: null, duration_ms: null });
          continue;
        }
        const key = keyOf(ctx.hasher, repo, st);
        const reasons = rerunReasons({ prev: memoryOf(section, st.name), key, outs: ctx.hasher.hashAll(repo, st.outs), upstream: st.needs.filter((n) => ran.includes(n)), upstreamIsReason: false });
        if (reasons.length === 0) {
          skipped.push(st.name);
          const prevStatus = section?.stages[st.name]?.status;
          results.push({ stage: st.name, action: 'skipped', status: prevStatus === 'RUNNING' || prevStatus === undefined ? null : prevStatus, reasons, why: [], failure: null, duration_ms: null });
          continue;
        }
        if (ctx.signal.aborted) {
          canceled = true;
          break;
        }
        const cmd = ctx.store.redactText(st.display);
        const started = (e: number): EventBody => ({ type: 'stage.started', execution: e, stage: st.name, key, reasons, cmd });
        if (execution === null) await start(started);
        else await append(runId ?? '', [started(execution)]);
        const e = execution ?? 1;
        const id = runId ?? '';
        // Loaded when a stage runs (child processes, the gate validators): an unchanged batch never needs it.
        const { execStage } = await import('./stage-exec.js');
        const out = await execStage({ repo, rv, stage: st, key, execution: e, logsDir: ctx.store.logsDir(id), signal: ctx.signal, redact: (s) => ctx.store.redactText(s), env: ctx.env, hasher: ctx.hasher });
        if (out.canceled) {
          canceled = true;
          results.push({ stage: st.name, action: 'canceled', status: null, reasons, why: reasons.map((r) => describeReason(r, display)), failure: 'canceled', duration_ms: null });
          break;
        }
        const f = out.finished;
        unwritten.push({ type: 'stage.finished', ...f });
        ran.push(st.name);
        if (f.status === 'FAIL') {
          failed.add(st.name);
          const parts = (f.failure_reason ?? 'failed').split('; ');
          failures.push(`FAIL ${st.name}: ${parts[0] ?? 'failed'}${parts.length > 1 ? ` (+${parts.length - 1} more)` : ''}`);
          // What the reducer will make of this stage.finished: one more failed execution in a row.
          const streak = (section?.stages[st.name]?.fail_streak ?? 0) + 1;
          if (streak >= 2 && escalated === null) escalated = { stage: st.name, failure: f.failure_reason };
        }
        results.push({ stage: st.name, action: 'ran', status: f.status, reasons, why: reasons.map((r) => describeReason(r, display)), failure: f.failure_reason, duration_ms: f.duration_ms });
      }
    } catch (err) {
      // Whatever went wrong after a stage finished, its result is not lost (otherwise it goes
      // with the variant's pipeline.finished below).
      if (unwritten.length > 0 && runId !== null) {
        const id: string = runId;
        await append(id, []).catch(() => undefined);
      }
      throw err;
    }
    if (canceled) for (const st of rv.stages) if (!results.some((r) => r.stage === st.name)) results.push({ stage: st.name, action: 'canceled', status: null, reasons: [], why: [], failure: null, duration_ms: null });

    if (execution === null || runId === null) {
      return { ...base, run_id: runId, outcome: canceled ? 'canceled' : 'up_to_date', execution: null, escalated: null, stages: results, notes: null };
    }
    const outcome: VariantOutcome = canceled ? 'canceled' : escalated !== null ? 'escalated' : failed.size > 0 || blocked.length > 0 ? 'failed' : 'success';
    const notes = notesOf(ran, skipped, blocked, failures, outcome, ctx.note);
    const e = execution;
    const esc = escalated;
    await pointerFlushed;
    await append(runId, [{ type: 'pipeline.finished', execution: e, outcome, ran, skipped, blocked, escalated: esc, notes }]);
    await appendRegistryRow(
      ctx.layout,
      {
        timestamp: registryTime(ctx.now()),
        study: ctx.layout.study,
        batch_id: ctx.manifest.batch_id,
        variant_id: rv.variant.id,
        scenario_rev: ctx.manifest.scenario_rev,
        config_rev: ctx.manifest.config_rev,
        seed: rv.variant.seed,
        status: outcome,
        results_dir: `${rv.dir}/results`,
        notes,
      },
      ctx.fsync,
    );
    return { ...base, run_id: runId, outcome, execution, escalated, stages: results, notes };
  } finally {
    lock.release();
  }
}
