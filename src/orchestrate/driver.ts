/**
 * The orchestrator: one process drives every track of an orchestration. Each task is a task run
 * (the task-run library, in this process: the workers, verification and git are child processes,
 * so tracks really run in parallel while runr's own bookkeeping stays in one place and the hooks
 * are plain function calls). Tasks run serially within a track, each in its own worktree starting
 * from the previous task's last checkpoint (the first from the integration branch's head); tracks
 * run in parallel up to `max_parallel`. A completed task joins the merge queue (merge-queue.ts, land.ts).
 *
 * Resume never runs a task twice: a task whose run completed is landed (or found landed), a stopped
 * or dead one is resumed through `runr resume`'s library entry, and a task run that exists but was
 * never linked (the orchestrator died right after creating it) is adopted, not started again.
 */
import path from 'node:path';
import type { OrchEvent, OrchTaskSpec } from '../core/events/orchestration.js';
import type { CollisionPolicy } from '../core/orchestrate/policy.js';
import type { OrchestrationState } from '../core/orchestrate/state.js';
import { orchestrationOf, taskSettled, trackOutcome } from '../core/orchestrate/state.js';
import { nextStarts } from '../core/orchestrate/schedule.js';
import { InternalError } from '../core/errors.js';
import type { TaskConfig } from '../core/tasks/config.js';
import { taskStateOf } from '../core/tasks/record.js';
import type { TaskState } from '../core/tasks/state.js';
import { STOP_REASONS } from '../core/tasks/stop-reasons.js';
import { git, gitText } from '../git/exec.js';
import type { RepoInfo } from '../git/repo.js';
import { repoInfo } from '../git/repo.js';
import { FALLBACK_IDENTITY } from '../git/commit.js';
import type { Project } from '../store/project.js';
import type { RunStore } from '../store/run-store.js';
import { ownPathsFor } from '../tasks/context.js';
import { resumeTaskRun } from '../tasks/resume.js';
import type { SessionResult } from '../tasks/session.js';
import { startTaskRun } from '../tasks/start.js';
import { LINKED_DIRS } from '../tasks/workspace.js';
import { acquireRunLock } from '../tasks/run-lock.js';
import type { ActiveTask } from './active.js';
import { hooksFor } from './gate.js';
import type { Integration } from './integration.js';
import type { LandItem } from './land.js';
import { landTask, landTogether } from './land.js';
import { MergeQueue } from './merge-queue.js';
import { DryRunCache } from './merge-tree.js';
import { WriteBatch } from './write-batch.js';
import type { OrchestratorView } from './types.js';

export interface OrchestratorDeps {
  project: Project;
  store: RunStore;
  id: string;
  config: TaskConfig;
  integration: Integration;
  signal: AbortSignal;
  progress: (line: string) => void;
  /** The repository facts, when the caller has just read them (else asked of git here). */
  repo?: RepoInfo;
}

export class Orchestrator implements OrchestratorView {
  readonly id: string;
  readonly store: RunStore;
  readonly project: Project;
  readonly config: TaskConfig;
  readonly integration: Integration;
  readonly signal: AbortSignal;
  readonly dryRuns: DryRunCache;
  readonly ownPaths: string[];
  state: OrchestrationState;
  /** Each track's running (or waiting) task. */
  private readonly active = new Map<string, ActiveTask>();
  /** Completed tasks in the merge queue: their claims count until they have landed. */
  private readonly queued = new Set<ActiveTask>();
  /** The orchestration journal's writes: serialized, and batched while one is in flight. */
  private readonly journal = new WriteBatch<OrchEvent>(
    async (events) => {
      const s = orchestrationOf(await this.store.mutate(this.id, () => events));
      if (s !== null) this.state = s;
    },
    () => this.wake(),
  );
  private grants = 0;
  private waiters: Array<() => void> = [];
  /** Completed tasks waiting to land, in the order they completed. */
  private readonly landings = new MergeQueue<ActiveTask>({
    together: (items) => landTogether(this, items),
    one: (item) => landTask(this, item).then(() => this.stopLater(item.track, item.index)),
    aborted: () => this.signal.aborted,
    log: (line) => this.log(line),
    settled: (a) => {
      if (a !== null) this.queued.delete(a);
      this.wake();
    },
  });
  private readonly running = new Set<Promise<void>>();
  private readonly progress: (line: string) => void;
  /** The repository facts every task run of this session starts from (one `git rev-parse`). */
  private readonly repo: Promise<RepoInfo>;

  constructor(deps: OrchestratorDeps) {
    this.id = deps.id;
    this.store = deps.store;
    this.project = deps.project;
    this.config = deps.config;
    this.integration = deps.integration;
    this.signal = deps.signal;
    this.progress = deps.progress;
    this.dryRuns = new DryRunCache(deps.project.root);
    this.ownPaths = ownPathsFor(deps.project.root, deps.project.runsDir, deps.project.runrDir, LINKED_DIRS);
    const s = orchestrationOf(deps.store.load(deps.id).run);
    if (s === null) throw new InternalError(`${deps.id} has no orchestration state`);
    this.state = s;
    // Asked at once, alongside the rest of the session's start (every fresh task run starts from it).
    this.repo = deps.repo !== undefined ? Promise.resolve(deps.repo) : repoInfo(deps.project.root);
    this.repo.catch(() => undefined);
    this.signal.addEventListener('abort', () => this.wake(), { once: true });
  }

  get repoRoot(): string {
    return this.project.root;
  }

  get policy(): CollisionPolicy {
    return this.state.policy;
  }

  spec(track: string, index: number): OrchTaskSpec {
    const t = this.state.tracks.find((k) => k.id === track)?.tasks[index];
    if (t === undefined) throw new InternalError(`no task ${track}[${index}]`);
    return t;
  }

  activeTasks(): ActiveTask[] {
    return [...this.queued, ...this.active.values()];
  }

  nextGrant(): number {
    return ++this.grants;
  }

  /**
   * Append an orchestration event and refresh the state. Writes are serialized in this process,
   * and the events that arrive while one is being flushed go together in the next (one append,
   * one flush for all of them); each caller's promise resolves once its event is on disk.
   */
  record(e: OrchEvent): Promise<void> {
    return this.journal.push(e);
  }

  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolve when `cond()` holds (checked after every state change) or the orchestrator is interrupted. */
  async waitUntil(cond: () => boolean): Promise<void> {
    while (!cond() && !this.signal.aborted) await new Promise<void>((r) => this.waiters.push(r));
  }

  log(line: string): void {
    this.progress(line);
  }

  /** Merge `rev` into the branch checked out in `dir` (a task's worktree); on conflict nothing changes. */
  async mergeInto(dir: string, rev: string, message: string): Promise<{ ok: true; sha: string } | { ok: false; files: string[] }> {
    const args = ['-c', 'commit.gpgsign=false', 'merge', '--no-edit', '--no-verify', '--quiet', '-m', message, rev];
    let r = await git(args, { cwd: dir, allowFail: true });
    if (r.code !== 0 && /tell me who you are|unable to auto-detect email|empty ident name/i.test(r.stderr)) {
      r = await git(['-c', `user.name=${FALLBACK_IDENTITY.name}`, '-c', `user.email=${FALLBACK_IDENTITY.email}`, ...args], { cwd: dir, allowFail: true });
    }
    if (r.code === 0) return { ok: true, sha: await gitText(['rev-parse', '--verify', 'HEAD'], { cwd: dir }) };
    const u = await git(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd: dir, allowFail: true });
    await git(['merge', '--abort'], { cwd: dir, allowFail: true });
    const files = u.stdout.toString('utf8').split('\0').filter((p) => p !== '').sort();
    return { ok: false, files: files.length > 0 ? files : ['(merge failed)'] };
  }

  /** Run until every track has landed or stopped (or the orchestrator is interrupted). */
  async run(): Promise<OrchestrationState> {
    await this.recover();
    for (;;) {
      if (this.signal.aborted) break;
      for (const next of nextStarts(this.state, new Set(this.active.keys()))) this.launch(next.track, next.task_index, null);
      if (this.active.size === 0 && this.landings.size === 0) break;
      await new Promise<void>((r) => this.waiters.push(r));
    }
    await Promise.allSettled([...this.running]);
    await this.landings.idle();
    await this.journal.idle();
    if (this.signal.aborted) await this.record({ type: 'orch.stopped', reason: 'interrupted', detail: 'the orchestrator was interrupted (signal); `runr orchestrate resume` continues' });
    else await this.record({ type: 'orch.completed' });
    return this.state;
  }

  /** After a crash or a stop: settle what the journal does not know yet, resume what was cut short. */
  private async recover(): Promise<void> {
    const linked = new Set(this.state.tracks.flatMap((t) => t.tasks.map((k) => k.run_id)).filter((r): r is string => r !== null));
    // The first session of a fresh orchestration: no earlier orchestrator can have left a task run
    // (each resume is a new session), so the store need not be listed.
    if (this.state.session === 1 && linked.size === 0) return;
    const orphans = this.store.list().runs.filter((r) => r.kind === 'task' && r.params?.orchestration_id === this.id && !linked.has(r.run_id));
    for (const o of orphans) {
      if (o.task === undefined) {
        await this.cancelUnstarted(o.run_id);
        continue;
      }
      const track = typeof o.params?.track === 'string' ? o.params.track : '';
      const idx = Number(o.params?.task_index ?? -1);
      const t = this.state.tracks.find((k) => k.id === track)?.tasks[idx];
      if (t === undefined || t.run_id !== null) continue;
      const base = (o.task as { info?: { git?: { base_commit?: string } } } | undefined)?.info?.git?.base_commit ?? this.state.integration.head;
      await this.record({ type: 'orch.task_started', track, task_index: idx, run_id: o.run_id, base });
    }
    for (const tr of this.state.tracks) await this.recoverTrack(tr.id);
  }

  /**
   * A track's unsettled tasks, in order: a completed one goes (back) to the merge queue, and the
   * one after it — started while it was landing — is resumed too (or, if the track stopped since,
   * recorded as stopped instead).
   */
  private async recoverTrack(id: string): Promise<void> {
    const tasks = this.state.tracks.find((k) => k.id === id)?.tasks ?? [];
    for (let idx = tasks.findIndex((k) => !taskSettled(k)); idx >= 0 && idx < tasks.length; idx++) {
      const tr = this.state.tracks.find((k) => k.id === id);
      const t = tr?.tasks[idx];
      if (tr === undefined || t === undefined || (trackOutcome(tr) === 'stopped' && t.state === 'pending')) return;
      if (t.state === 'complete') {
        this.enqueueLanding(tr.id, idx);
        continue;
      }
      if (t.state === 'pending' || taskSettled(t) || t.run_id === null) return;
      if (trackOutcome(tr) === 'stopped') {
        await this.record({ type: 'orch.task_finished', track: tr.id, task_index: idx, run_id: t.run_id, stop_reason: 'interrupted', detail: 'not resumed: an earlier task of its track did not land', head: t.head });
        return;
      }
      const run = this.store.load(t.run_id).run;
      if (run.task === undefined) {
        // Created, but killed before `task.started`: no worker ever ran for it. Start the task afresh.
        await this.cancelUnstarted(t.run_id);
        await this.record({ type: 'orch.task_abandoned', track: tr.id, task_index: idx, run_id: t.run_id, detail: 'the orchestrator died before the task run started' });
        return;
      }
      const ts = taskStateOf(run);
      if (ts?.stop_reason === 'complete') {
        await this.record({ type: 'orch.task_finished', track: tr.id, task_index: idx, run_id: t.run_id, stop_reason: 'complete', detail: null, head: ts.checkpoint_sha });
        this.enqueueLanding(tr.id, idx);
        continue;
      }
      const reason = ts?.stop_reason ?? null;
      if (reason !== null && !STOP_REASONS[reason].resumable && run.status !== 'RUNNING') {
        if (t.state !== 'stopped') await this.record({ type: 'orch.task_finished', track: tr.id, task_index: idx, run_id: t.run_id, stop_reason: reason, detail: ts?.stop_detail ?? null, head: ts?.checkpoint_sha ?? null });
        return;
      }
      this.launch(tr.id, idx, t.run_id);
      return;
    }
  }

  /** Cancel a task run that never started (its lock holder is dead); remove its worktree and branch. */
  private async cancelUnstarted(runId: string): Promise<void> {
    let lock;
    try {
      lock = await acquireRunLock(this.store, runId, 'orchestrator (cancel)');
    } catch {
      return;
    }
    try {
      await this.store.mutate(runId, (cur) => (cur?.status === 'PASSED' || cur?.status === 'CANCELED' ? [] : [{ type: 'run.completed', status: 'CANCELED' }]));
    } finally {
      lock.release();
    }
    const dir = path.join(this.project.runrDir, 'worktrees', runId);
    await git(['worktree', 'remove', '--force', dir], { cwd: this.repoRoot, allowFail: true });
    await git(['branch', '-D', `runr/${runId}`], { cwd: this.repoRoot, allowFail: true });
    this.log(`canceled ${runId}: it never started`);
  }

  private baseFor(track: string, index: number): string {
    if (index === 0) return this.state.integration.head;
    const prev = this.state.tracks.find((k) => k.id === track)?.tasks[index - 1];
    return prev?.head ?? prev?.base ?? this.state.integration.head;
  }

  /**
   * Start (or resume, when `runId` is given) the task run of `track[index]`; `base`: the commit it
   * starts from when the caller knows it before the journal does (the previous task's last checkpoint).
   */
  private launch(track: string, index: number, runId: string | null, base: string | null = null, contains: number | null = null): void {
    const prev = this.state.tracks.find((k) => k.id === track)?.tasks[index];
    const from = base ?? prev?.base ?? this.baseFor(track, index);
    const position = runId !== null ? null : (contains ?? this.integration.positionOf(from));
    const a: ActiveTask = { track, taskIndex: index, runId, base: from, head: prev?.head ?? null, workDir: null, patterns: [], changed: runId === null ? [] : (this.state.tracks.find((k) => k.id === track)?.changed ?? []), contains: position, changedAt: runId === null ? from : null, analysis: null, grant: null, pending: [], handled: new Set(), landing: false, hookMs: 0, cancel: new AbortController(), finished: null };
    this.active.set(track, a);
    const p = this.drive(a)
      .catch(async (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.log(`${track}: runr error: ${message}`);
        // A failure in the task run's last bookkeeping after it completed: the completion stands.
        if (a.finished !== null) return;
        const detail = a.cancel.signal.aborted ? `stopped: ${String(a.cancel.signal.reason)}` : `runr error: ${message}`;
        await this.record({ type: 'orch.task_finished', track, task_index: index, run_id: a.runId, stop_reason: 'interrupted', detail: detail.slice(0, 2000), head: a.head }).catch(() => undefined);
      })
      .finally(() => {
        // A completed task has moved to the merge queue (its claims count until it has landed); the
        // track is free for its next task.
        if (this.active.get(track) === a) this.active.delete(track);
        this.running.delete(p);
        this.wake();
      });
    this.running.add(p);
  }

  private async drive(a: ActiveTask): Promise<void> {
    const spec = this.spec(a.track, a.taskIndex);
    const gate = hooksFor(this, a);
    const deps = {
      cwd: this.project.root,
      store: this.store,
      signal: AbortSignal.any([this.signal, a.cancel.signal]),
      progress: (line: string) => this.log(`${a.track}: ${line}`),
      hooks: {
        ...gate,
        // The last checkpoint completes the task: its record says so on disk before this hook runs
        // (the loop appends the event first), and nothing after it can change that — the session
        // only writes its stop handoff and releases its lock. So the landing and the track's next
        // task start here, alongside that tail, not after it.
        afterCheckpoint: async (s: TaskState, c: { milestone_index: number; sha: string; files: string[] | null }) => {
          await gate.afterCheckpoint?.(s, c);
          if (s.stop_reason === 'complete' && a.runId !== null) a.finished = this.completed(a, a.runId, s.checkpoint_sha ?? c.sha, null);
        },
      },
      onStarted: (r: { run_id: string }) => {
        a.runId = r.run_id;
      },
    };
    let result: SessionResult;
    if (a.runId === null) {
      const linkRun = (r: { run_id: string }) => {
        a.runId = r.run_id;
        a.workDir = path.join(this.project.runrDir, 'worktrees', r.run_id);
        void this.record({ type: 'orch.task_started', track: a.track, task_index: a.taskIndex, run_id: r.run_id, base: a.base });
      };
      const repo = await this.repo;
      result = await startTaskRun(
        { ...deps, onStarted: linkRun, ignoreRefs: this.ownRefs(), prepared: { config: this.config, repo } },
        { task: spec.path, worktree: true, fast: this.state.options.fast, allowDeps: this.state.options.allow_deps, allowDirty: false, base: a.base, params: { orchestration_id: this.id, track: a.track, task_index: a.taskIndex } },
      );
    } else {
      a.workDir = path.join(this.project.runrDir, 'worktrees', a.runId);
      await this.record({ type: 'orch.task_resumed', track: a.track, task_index: a.taskIndex, run_id: a.runId });
      result = await resumeTaskRun({ ...deps, ignoreRefs: this.ownRefs() }, { run: a.runId, reloadConfig: false });
    }
    // Completed at its last checkpoint (above): already recorded, queued and followed.
    if (a.finished !== null) {
      await Promise.all([a.finished, a.analysis]);
      return;
    }
    const detail = a.cancel.signal.aborted && result.reason !== 'complete' ? `stopped: ${String(a.cancel.signal.reason)}` : result.state.stop_detail;
    const finished = result.reason === 'complete' ? this.completed(a, result.runId, result.state.checkpoint_sha, detail) : this.record({ type: 'orch.task_finished', track: a.track, task_index: a.taskIndex, run_id: result.runId, stop_reason: result.reason, detail, head: result.state.checkpoint_sha, hooks_ms: Math.round(a.hookMs * 100) / 100 });
    await Promise.all([finished, a.analysis]);
  }

  /**
   * A task completed: record it, queue it to land and start its track's next task. Recorded while
   * the work goes on: the task run's own record is already on disk (so a crash from here on finds
   * it complete and lands it on resume), and the journal keeps the order of the calls — this event
   * goes before the landing's and before the next task's start. The last checkpoint's dry-runs may
   * still be running (their report follows; nothing here needs them).
   */
  private completed(a: ActiveTask, runId: string, head: string | null, detail: string | null): Promise<void> {
    const finished = this.record({ type: 'orch.task_finished', track: a.track, task_index: a.taskIndex, run_id: runId, stop_reason: 'complete', detail, head, hooks_ms: Math.round(a.hookMs * 100) / 100 });
    const h = head ?? a.head ?? a.base;
    this.enqueueLanding(a.track, a.taskIndex, a, { runId, head: h, base: a.base, changed: a.changedAt === h ? a.changed : null });
    this.startNext(a, h);
    return finished;
  }

  /**
   * The next task of a track starts the moment the previous one completed (from its last
   * checkpoint), before that one has landed or its completion is even on the orchestration's
   * journal; it keeps the track's `--max-parallel` slot.
   */
  private startNext(a: ActiveTask, base: string): void {
    if (this.signal.aborted || a.cancel.signal.aborted) return;
    const tr = this.state.tracks.find((k) => k.id === a.track);
    const next = tr?.tasks[a.taskIndex + 1];
    if (tr === undefined || next === undefined || next.state !== 'pending' || trackOutcome(tr) !== 'active') return;
    // It starts from the previous task's head: it contains what that one's branch did.
    this.launch(a.track, a.taskIndex + 1, null, base, a.contains);
  }

  /** A task of `track` did not land: stop the track's later task if it is running (it builds on that work). */
  private stopLater(track: string, index: number): void {
    const t = this.state.tracks.find((k) => k.id === track)?.tasks[index];
    if (t === undefined || t.state !== 'not_landed') return;
    const later = this.active.get(track);
    if (later !== undefined && later.taskIndex > index && !later.cancel.signal.aborted) {
      this.log(`${track}: stopping ${later.runId ?? 'the next task'}: ${path.basename(t.path)} did not land`);
      later.cancel.abort(`${path.basename(t.path)} (task ${index + 1} of track ${track}) did not land on ${this.integration.branch}`);
    }
  }

  /** Refs this orchestration moves while its task runs work (their repository guard must not restore them). */
  private ownRefs(): string[] {
    return [`refs/heads/${this.integration.branch}`];
  }

  /** `known`: the completed run, its head and base, when its `orch.task_finished` may not be on the journal yet. */
  private enqueueLanding(track: string, index: number, a: ActiveTask | null = null, known: LandItem['known'] = null): void {
    if (a !== null) {
      a.landing = true;
      this.queued.add(a);
    }
    this.landings.push({ track, index, known }, a);
  }
}
