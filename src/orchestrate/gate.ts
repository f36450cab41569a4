/**
 * The orchestrator's two hooks into each task run (src/tasks/hooks.ts):
 *  - after every checkpoint: record what the track changed, then merge dry-runs of its new head
 *    against every other active head whose changed files overlap (the cheap first tier), and against
 *    the integration branch; each predicted conflict is recorded at once and queued for the later
 *    track (the one that passed the milestone gate later);
 *  - before every milestone: the task's claims (owns, files_expected) against the claims and changes
 *    of every earlier active track, plus queued conflicts; the collision policy decides: wait and
 *    sync (serialize), stop with `parallel_file_collision` (fail), or go on and record it (force).
 * Waiting only ever happens on an earlier track, so two tracks never wait on each other.
 */
import type { HookStop, TaskHooks } from '../tasks/hooks.js';
import type { TaskState } from '../core/tasks/state.js';
import { overlap } from '../core/orchestrate/collide.js';
import type { ActiveTask } from './active.js';
import { claimOf } from './active.js';
import { changedBetween } from './merge-tree.js';
import type { OrchestratorView } from './types.js';
import { git } from '../git/exec.js';
import { status } from '../git/status.js';

const MAX_LISTED = 200;

function patternsFor(o: OrchestratorView, a: ActiveTask, s: TaskState, from: number): string[] {
  const spec = o.spec(a.track, a.taskIndex);
  const planned = s.milestones.slice(from).flatMap((m) => m.files_expected);
  return [...new Set([...spec.owns, ...spec.files_expected, ...planned])];
}

interface Found {
  kind: 'claims' | 'merge_tree' | 'integration';
  other: string | null;
  files: string[];
  checkpoint: { track: string; sha: string } | null;
}

/** What landed on the integration branch since the task's branch last took it in (its merge base). */
async function landedSince(o: OrchestratorView, a: ActiveTask): Promise<{ head: string; files: string[] }> {
  // From the session's landing log when it knows what the task's branch contains (no git).
  const known = a.contains === null ? null : await o.integration.landedAfter(a.contains, a.track);
  if (known !== null) return known;
  const head = await o.integration.head();
  const tip = a.head ?? a.base;
  if (head === tip) return { head, files: [] };
  const from = (await o.dryRuns.mergeBase(tip, head)) ?? a.base;
  return { head, files: from === head ? [] : await o.dryRuns.changed(from, head) };
}

/** The track that landed `head` (the integration branch's tip), for reports. */
function landedBy(o: OrchestratorView, head: string): string {
  for (const t of o.state.tracks) if (t.tasks.some((k) => k.landed?.integration_head === head)) return t.id;
  return o.integration.branch;
}

async function collisionsOf(o: OrchestratorView, a: ActiveTask): Promise<Found[]> {
  const out: Found[] = [];
  // Work of earlier tracks that has already landed: the task would build on a base without it.
  const landed = await landedSince(o, a);
  if (landed.files.length > 0) {
    const files = overlap(claimOf(a), { patterns: [], changed: landed.files });
    if (files.length > 0) out.push({ kind: 'claims', other: null, files, checkpoint: { track: landedBy(o, landed.head), sha: landed.head } });
  }
  for (const u of o.activeTasks()) {
    // The same track's earlier task (still landing) is what this one builds on: never a collision.
    if (u === a || u.track === a.track || u.grant === null || a.grant === null || u.grant >= a.grant) continue;
    const files = overlap(claimOf(a), claimOf(u));
    if (files.length > 0) out.push({ kind: 'claims', other: u.track, files, checkpoint: u.head === null ? null : { track: u.track, sha: u.head } });
  }
  for (const p of a.pending) {
    if (p.other !== null && !o.activeTasks().some((u) => u.track === p.other)) {
      // The other track's task has landed since: what matters now is the integration branch.
      out.push({ ...p, kind: 'integration', other: null });
    } else out.push(p);
  }
  return out;
}

/** Merge the integration head into the task's branch (it may have moved while the task waited). */
async function sync(o: OrchestratorView, a: ActiveTask): Promise<{ ok: true; to: string | null } | { ok: false; files: string[] }> {
  if (a.workDir === null) return { ok: true, to: null };
  const head = await o.integration.head();
  const dirty = (await status(a.workDir, o.ownPaths)).length > 0;
  if (dirty) return { ok: true, to: null };
  const contained = await git(['merge-base', '--is-ancestor', head, 'HEAD'], { cwd: a.workDir, allowFail: true });
  if (contained.code === 0) {
    a.contains = o.integration.positionOf(head);
    return { ok: true, to: null };
  }
  const r = await o.mergeInto(a.workDir, head, `runr orchestrate ${o.id}: sync ${a.track} with ${o.integration.branch}`);
  if (!r.ok) return { ok: false, files: r.files };
  a.base = a.base === a.head || a.head === null ? head : a.base;
  a.head = r.sha;
  // Its branch now contains the integration head it merged.
  a.contains = o.integration.positionOf(head);
  return { ok: true, to: head };
}

async function beforeImplement(o: OrchestratorView, a: ActiveTask, s: TaskState, milestoneIndex: number): Promise<HookStop | null> {
  // The previous checkpoint's dry-runs finish before the milestone gate judges anything.
  await a.analysis;
  // Task runs are past their start: the integration worktree may be made now (off every path).
  void o.integration.warm().catch(() => undefined);
  a.patterns = patternsFor(o, a, s, milestoneIndex);
  if (a.grant === null) a.grant = o.nextGrant();
  for (;;) {
    if (o.signal.aborted) return null;
    const found = (await collisionsOf(o, a)).filter((f) => !a.handled.has(`${f.other ?? ''}|${f.files.join(',')}`));
    if (found.length === 0) return null;
    const policy = o.policy;
    for (const f of found) {
      const action = policy === 'force' ? 'force' : policy === 'fail' ? 'stop' : 'wait';
      a.handled.add(`${f.other ?? ''}|${f.files.join(',')}`);
      await o.record({ type: 'orch.collision', kind: f.kind, track: a.track, other: f.other, files: f.files.slice(0, MAX_LISTED), checkpoint: f.checkpoint, policy, action });
    }
    a.pending = [];
    if (policy === 'force') return null;
    const first = found[0] as Found;
    if (policy === 'fail') {
      return { reason: 'parallel_file_collision', detail: `${first.files.slice(0, 20).join(', ')} ${first.other === null ? `conflicts with ${o.integration.branch}` : `collides with track ${first.other}`} (${first.kind})` };
    }
    // serialize: wait until each earlier track's task has left (landed or stopped), then sync.
    const others = new Set(found.map((f) => f.other).filter((t): t is string => t !== null));
    const w0 = performance.now();
    await o.waitUntil(() => ![...others].some((t) => o.activeTasks().some((u) => u.track === t && u.grant !== null && a.grant !== null && u.grant < a.grant)));
    a.hookMs -= performance.now() - w0; // waiting on an earlier track is the policy, not overhead
    if (o.signal.aborted) return null;
    const r = await sync(o, a);
    if (!r.ok) {
      return { reason: 'parallel_file_collision', detail: `${r.files.join(', ')}: the track’s own changes conflict with ${o.integration.branch} after waiting for ${[...others].join(', ') || 'it'}` };
    }
    await o.record({ type: 'orch.unblocked', track: a.track, synced_to: r.to });
    // Loop: check again (a further earlier track may still collide).
  }
}

/**
 * After a checkpoint: what the track changed — from the files the commit itself changed when the
 * task run made it on top of what is known (no git), else `git diff` base..sha — then the merge
 * dry-runs, which run alongside the task run's next phase (`a.analysis`: the next milestone's gate
 * and the task's end wait for them, so the policy still applies before the next milestone).
 */
async function afterCheckpoint(o: OrchestratorView, a: ActiveTask, sha: string, files: string[] | null, milestoneIndex: number): Promise<void> {
  await a.analysis;
  const parent = a.head ?? a.base;
  if (files !== null && a.changedAt !== null && a.changedAt === parent) a.changed = [...new Set([...a.changed, ...files])].sort();
  else a.changed = await changedBetween(o.repoRoot, a.base, sha);
  a.changedAt = sha;
  a.head = sha;
  const p = dryRunsOf(o, a, sha, milestoneIndex);
  a.analysis = p.catch((err: unknown) => o.log(`${a.track}: merge dry-runs after ${sha.slice(0, 12)} failed: ${err instanceof Error ? err.message : String(err)}`));
}

async function dryRunsOf(o: OrchestratorView, a: ActiveTask, sha: string, milestoneIndex: number): Promise<void> {
  const t0 = performance.now();
  const { base, changed, contains, track } = a;
  const found: Array<{ later: ActiveTask; other: string | null; files: string[]; kind: 'merge_tree' | 'integration' }> = [];
  // Every dry-run of this checkpoint at once (each is its own git process; none waits on another).
  const others = o.activeTasks().filter((u) => u !== a && u.track !== a.track && u.head !== null && overlap({ patterns: [], changed }, { patterns: [], changed: u.changed }).length > 0);
  const againstIntegration = (async () => {
    const ih = await o.integration.head();
    if (ih === base) return null;
    const known = contains === null ? null : await o.integration.landedAfter(contains, track);
    const landedChanges = known !== null && known.head === ih ? known.files : await o.dryRuns.changed(base, ih);
    if (overlap({ patterns: [], changed }, { patterns: [], changed: landedChanges }).length === 0) return null;
    return o.dryRuns.get(sha, ih);
  })();
  const [results, integ] = await Promise.all([Promise.all(others.map((u) => o.dryRuns.get(sha, u.head as string))), againstIntegration]);
  let pairs = others.length;
  others.forEach((u, i) => {
    const r = results[i];
    if (r === undefined || r.clean) return;
    const aLater = u.grant !== null && (a.grant === null || a.grant > u.grant);
    found.push(aLater ? { later: a, other: u.track, files: r.files, kind: 'merge_tree' } : { later: u, other: a.track, files: r.files, kind: 'merge_tree' });
  });
  if (integ !== null) {
    pairs++;
    if (!integ.clean) found.push({ later: a, other: null, files: integ.files, kind: 'integration' });
  }
  const ms = performance.now() - t0;
  // Recorded in the background (the orchestrator's writes keep their order): the task run goes on
  // with its next phase meanwhile. A crash before the write loses only this report; the task run's
  // own record has the checkpoint, and resume rebuilds the rest from it.
  const later = (e: Parameters<OrchestratorView['record']>[0]): void => {
    o.record(e).catch((err: unknown) => o.log(`${a.track}: could not record ${e.type}: ${err instanceof Error ? err.message : String(err)}`));
  };
  later({ type: 'orch.checkpoint', track: a.track, task_index: a.taskIndex, run_id: a.runId ?? '', milestone_index: milestoneIndex, sha, changed: changed.slice(0, MAX_LISTED), dry_runs: pairs, dry_run_ms: Math.round(ms * 100) / 100 });
  for (const f of found) {
    const checkpoint = { track: a.track, sha };
    later({ type: 'orch.collision', kind: f.kind, track: f.later.track, other: f.other, files: f.files.slice(0, MAX_LISTED), checkpoint, policy: o.policy, action: 'reported' });
    f.later.pending.push({ kind: f.kind, other: f.other, files: f.files, checkpoint });
  }
}

/** Time `f` into `a.hookMs` (the orchestrator's own cost inside a task run). */
async function timed<T>(a: ActiveTask, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    a.hookMs += performance.now() - t0;
  }
}

export function hooksFor(o: OrchestratorView, a: ActiveTask): TaskHooks {
  return {
    beforeImplement: (s, i) => timed(a, () => beforeImplement(o, a, s, i)),
    afterCheckpoint: (_s, c) => timed(a, () => afterCheckpoint(o, a, c.sha, c.files, c.milestone_index)),
  };
}
