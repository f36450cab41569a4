/**
 * The merge queue's steps: land completed tasks on the integration branch (integration.ts does the
 * git side), verify the merged tree, keep it only when green, record the outcome. One task at a
 * time (`landTask`), or several queued tasks together (`landTogether`): each merged in queue order
 * onto the one before, the last tree verified once, the branch moved once; when anything in such a
 * batch does not go cleanly (a conflict, red verification, the branch moved), nothing of it is kept
 * and the caller lands its tasks one at a time, which says which one broke it.
 */
import path from 'node:path';
import type { OrchTask } from '../core/orchestrate/state.js';
import type { TaskConfig } from '../core/tasks/config.js';
import { relToRoot } from '../store/project.js';
import type { LogStep } from './integration.js';
import { IntegrationMoved } from './integration.js';
import type { OrchestratorView } from './types.js';
import { verifyMerged } from './verify-merged.js';

/**
 * A completed task in the queue. `known`: its run, head and base as the orchestrator saw it
 * complete, when its `orch.task_finished` may still be on its way to the journal (landing need not
 * wait for that flush; its own events are recorded after it, in call order).
 */
export interface LandItem {
  track: string;
  index: number;
  known: { runId: string; head: string; base: string | null; changed: string[] | null } | null;
}

const hasCommands = (c: TaskConfig): boolean => c.verification.tier0.length + c.verification.tier1.length + c.verification.tier2.length > 0;

const messageFor = (o: OrchestratorView, track: string, t: OrchTask, runId: string, order: number): string =>
  `runr orchestrate: land ${track}/${path.basename(t.path)} (#${order})\n\nTask: ${t.title}\n\nRunr-Orchestration: ${o.id}\nRunr-Track: ${track}\nRunr-Landed-Run: ${runId}\n`;

interface Ready {
  item: LandItem;
  task: OrchTask;
  runId: string;
  head: string;
  base: string | null;
}

/**
 * For the session's landing log: what moving the branch from `old` to `at` changed. A fast-forward
 * from the task's own base changed exactly the task's files (known); anything else is a `git diff`,
 * started now and off every path (the gates that need it wait for it).
 */
function stepOf(o: OrchestratorView, r: Ready, old: string, at: string): LogStep {
  const changed = r.item.known?.changed ?? null;
  const files = at === r.head && r.base === old && changed !== null ? Promise.resolve(changed) : o.dryRuns.changed(old, at).catch(() => null);
  return { at, track: r.item.track, files };
}

/**
 * The item if it can land now: complete, and every earlier task of its track landed (or, in a
 * batch, lands before it: `earlier`). A track whose task did not land is stopped, and what came
 * after stays unlanded.
 */
async function readyOf(o: OrchestratorView, item: LandItem, earlier: readonly LandItem[] = []): Promise<Ready | null> {
  const tr = o.state.tracks.find((k) => k.id === item.track);
  const t = tr?.tasks[item.index];
  if (tr === undefined || t === undefined) return null;
  const runId = item.known?.runId ?? t.run_id;
  const state = item.known !== null && (t.state === 'running' || t.state === 'waiting') ? 'complete' : t.state;
  if (runId === null || state !== 'complete') return null;
  if (tr.tasks.slice(0, item.index).some((k, i) => k.state !== 'landed' && !earlier.some((e) => e.track === item.track && e.index === i))) return null;
  const head = item.known?.head ?? t.head ?? t.base ?? (await o.integration.head());
  return { item, task: t, runId, head, base: item.known?.base ?? t.base };
}

export async function landTask(o: OrchestratorView, item: LandItem): Promise<void> {
  try {
    await landOnce(o, item);
  } catch (err) {
    if (!(err instanceof IntegrationMoved)) throw err;
    // Someone else moved the integration branch between our merge and our update: merge again onto it.
    o.log(`${item.track}: ${err.message}; landing again on the new head`);
    await landOnce(o, item);
  }
}

async function landOnce(o: OrchestratorView, item: LandItem): Promise<void> {
  const r = await readyOf(o, item);
  if (r === null) return;
  const { track, index } = item;
  const { runId, head } = r;
  const order = o.state.landed_count + 1;
  o.log(`${track}: landing ${runId} on ${o.integration.branch}`);
  const old = await o.integration.head();
  const message = messageFor(o, track, r.task, runId, order);
  // With verification to run: one `git merge` in the integration worktree when it is ready for it
  // (merge and checkout at once), else the merge in the object database and then the checkout.
  const verify = hasCommands(o.config);
  const here = verify ? await o.integration.mergeHere(old, head, message) : null;
  const m = here ?? (await o.integration.mergeOnto(old, head, message, r.base));
  if (m.kind === 'already') {
    await o.record({ type: 'orch.landed', track, task_index: index, run_id: runId, head, integration_head: m.old, order, verification: [] });
    return;
  }
  if (m.kind === 'conflict') {
    o.log(`${track}: not landed: merge conflict in ${m.files.join(', ')}`);
    await o.record({ type: 'orch.land_failed', track, task_index: index, run_id: runId, head, reason: 'merge_conflict', files: m.files, failure: null, log: null, detail: `merging ${head.slice(0, 12)} into ${o.integration.branch} conflicts in ${m.files.join(', ')}` });
    return;
  }
  const logFile = path.join(o.store.logsDir(o.id), 'land', `${String(order).padStart(3, '0')}-${track}.log`);
  // Nothing to run on the merged tree: no checkout either.
  if (verify && here === null) await o.integration.prepare(m.merged);
  const v = await verifyMerged(o.integration.dir, o.config, { logFile, signal: o.signal, redact: (s) => o.store.redactText(s), env: { RUNR_RUN_ID: o.id, RUNR_TRACK: track, RUNR_WORKTREE: o.integration.dir } });
  if (v.canceled) {
    await o.integration.discard(m.old);
    return;
  }
  if (!v.ok) {
    await o.integration.discard(m.old);
    const f = v.failure;
    o.log(`${track}: not landed: ${f === null ? 'verification failed' : `${f.tier} \`${f.command}\` failed (exit ${f.exit_code ?? 'none'})`} on the merged tree`);
    await o.record({
      type: 'orch.land_failed',
      track,
      task_index: index,
      run_id: runId,
      head,
      reason: 'merge_verification_failed',
      files: [],
      failure: f,
      log: relToRoot(o.project, logFile),
      detail: f === null ? 'verification failed on the merged tree' : `${f.tier} \`${f.command}\` failed (exit ${f.exit_code ?? 'none'}) on ${o.integration.branch} merged with ${head.slice(0, 12)}; the merge was not kept`,
    });
    return;
  }
  await o.integration.keep(m.merged, m.old, [stepOf(o, r, m.old, m.merged)]);
  await o.record({ type: 'orch.landed', track, task_index: index, run_id: runId, head, integration_head: m.merged, order, verification: v.commands });
  o.log(`${track}: landed #${order} (${m.merged.slice(0, 12)})`);
}

/**
 * Land `items` (≥ 2, queue order) in one verified merge. Returns false when it kept nothing and
 * the caller must land them one at a time (an item not ready, a conflict, red verification, the
 * branch moved); true when all landed (or the orchestrator was interrupted: nothing kept).
 */
export async function landTogether(o: OrchestratorView, items: readonly LandItem[]): Promise<boolean> {
  const ready: Ready[] = [];
  for (const [i, item] of items.entries()) {
    const r = await readyOf(o, item, items.slice(0, i));
    if (r === null) return false;
    ready.push(r);
  }
  const old = await o.integration.head();
  const first = o.state.landed_count + 1;
  const steps: Array<{ r: Ready; order: number; at: string; from: string }> = [];
  let cur = old;
  for (const [i, r] of ready.entries()) {
    const order = first + i;
    const m = await o.integration.mergeOnto(cur, r.head, messageFor(o, r.item.track, r.task, r.runId, order), r.base);
    if (m.kind === 'conflict') return false;
    const from = cur;
    if (m.kind === 'merged') cur = m.merged;
    steps.push({ r, order, at: cur, from });
  }
  const tracks = ready.map((r) => r.item.track).join(', ');
  o.log(`${tracks}: landing ${ready.length} queued tasks together on ${o.integration.branch}`);
  let verification: Awaited<ReturnType<typeof verifyMerged>>['commands'] = [];
  if (cur !== old) {
    const logFile = path.join(o.store.logsDir(o.id), 'land', `${String(first).padStart(3, '0')}-${String(first + ready.length - 1).padStart(3, '0')}-batch.log`);
    if (hasCommands(o.config)) await o.integration.prepare(cur);
    const v = await verifyMerged(o.integration.dir, o.config, { logFile, signal: o.signal, redact: (s) => o.store.redactText(s), env: { RUNR_RUN_ID: o.id, RUNR_TRACK: tracks, RUNR_WORKTREE: o.integration.dir } });
    if (v.canceled || !v.ok) {
      await o.integration.discard(old);
      if (v.canceled) return true;
      o.log(`${tracks}: the merged tree of ${ready.length} queued tasks is red; landing them one at a time`);
      return false;
    }
    verification = v.commands;
    try {
      await o.integration.keep(
        cur,
        old,
        steps.filter((s) => s.at !== s.from).map((s) => stepOf(o, s.r, s.from, s.at)),
      );
    } catch (err) {
      if (err instanceof IntegrationMoved) return false;
      throw err;
    }
  }
  // One flush for all of them (the orchestrator batches writes that arrive together).
  await Promise.all(
    steps.map((s) => o.record({ type: 'orch.landed', track: s.r.item.track, task_index: s.r.item.index, run_id: s.r.runId, head: s.r.head, integration_head: s.at, order: s.order, verification, verified_at: cur })),
  );
  for (const s of steps) o.log(`${s.r.item.track}: landed #${s.order} (${s.at.slice(0, 12)})`);
  return true;
}
