/**
 * One step of the merge queue: land a completed task on the integration branch (integration.ts
 * does the git side), verify the merged tree, keep it only when green, record the outcome.
 */
import path from 'node:path';
import { relToRoot } from '../store/project.js';
import { IntegrationMoved } from './integration.js';
import type { OrchestratorView } from './types.js';
import { verifyMerged } from './verify-merged.js';

/**
 * `known`: the task's run and head as the orchestrator saw it complete, when its `orch.task_finished`
 * may still be on its way to the journal (the landing need not wait for that flush; its own events
 * are recorded after it, in call order).
 */
export async function landTask(o: OrchestratorView, track: string, index: number, known: { runId: string; head: string } | null = null): Promise<void> {
  try {
    await landOnce(o, track, index, known);
  } catch (err) {
    if (!(err instanceof IntegrationMoved)) throw err;
    // Someone else moved the integration branch between our merge and our update: merge again onto it.
    o.log(`${track}: ${err.message}; landing again on the new head`);
    await landOnce(o, track, index, known);
  }
}

async function landOnce(o: OrchestratorView, track: string, index: number, known: { runId: string; head: string } | null): Promise<void> {
  const tr = o.state.tracks.find((k) => k.id === track);
  const t = tr?.tasks[index];
  if (t === undefined) return;
  const runId = known?.runId ?? t.run_id;
  const state = known !== null && (t.state === 'running' || t.state === 'waiting') ? 'complete' : t.state;
  if (runId === null || state !== 'complete') return;
  // It builds on the track's earlier tasks: it lands only after all of them did (a track whose
  // task did not land is stopped, and what came after stays unlanded).
  if (tr?.tasks.slice(0, index).some((k) => k.state !== 'landed')) return;
  const head = known?.head ?? t.head ?? t.base ?? (await o.integration.head());
  const order = o.state.landed_count + 1;
  const message = `runr orchestrate: land ${track}/${path.basename(t.path)} (#${order})\n\nTask: ${t.title}\n\nRunr-Orchestration: ${o.id}\nRunr-Track: ${track}\nRunr-Landed-Run: ${runId}\n`;
  o.log(`${track}: landing ${runId} on ${o.integration.branch}`);
  const m = await o.integration.merge(head, message);
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
  await o.integration.keep(m.merged, m.old);
  await o.record({ type: 'orch.landed', track, task_index: index, run_id: runId, head, integration_head: m.merged, order, verification: v.commands });
  o.log(`${track}: landed #${order} (${m.merged.slice(0, 12)})`);
}
