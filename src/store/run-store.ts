/**
 * The run store: one directory per run under the runs directory.
 *
 *   <run_id>/record/events.jsonl        journal (source of truth)
 *   <run_id>/record/RUN.json            snapshot, replaced atomically after each append
 *   <run_id>/record/gates/<G>/attempt-<n>.json   kept in step with RUN.json
 *   <run_id>/logs/                      verbose output, prompts, the writer lock (git-ignored)
 *
 * Write order for every change: take the writer lock → read journal → decide events → append +
 * fsync → replace RUN.json → rewrite the attempt files that changed → release. A crash between
 * any two steps leaves a journal ahead of the snapshot; readers fold the missing events in, and
 * the next writer persists the rebuilt snapshot and attempt files. The write that finishes a run
 * updates its manifest entry before RUN.json, and a reader that finds a finished run lagging
 * persists it (and its entry) itself, since no writer comes again (repair-finished.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InternalError, UserError, ValidationError } from '../core/errors.js';
import type { EventBody } from '../core/events/index.js';
import { validateRunIdArg } from '../core/ids.js';
import { applyEvent } from '../core/reduce/index.js';
import type { Redactor } from '../core/redact.js';
import { makeRedactor, redactDeep } from '../core/redact.js';
import type { RunRecord } from '../core/schemas/run.js';
import { SCHEMA_VERSION } from '../core/schemas/run.js';
import { fdatasyncFile } from './atomic.js';
import type { JournalRead } from './journal.js';
import { appendEvents, readJournal } from './journal.js';
import { refuseBrokenJournal, snapshotSeq } from './journal-check.js';
import { acquireLock } from './lock.js';
import { refuseRecordSymlinks } from './record-symlinks.js';
import { isFinishedRun, repairFinishedRun } from './repair-finished.js';
import { trackBackground } from './background.js';
import { random6 } from './names.js';
import { listRunIds, resolveRunId } from './resolve-run.js';
import { writeSnapshot } from './snapshot-writer.js';
import { makeRunDir } from './run-dir.js';
import { stateFromJournal } from './journal-state.js';
import type { LoadedRun } from './load-run.js';
import { readRunFromDisk } from './load-run.js';
import type { FileStamp } from './record-files.js';
import { attemptFilesInStep, sameStat, statOrNull, stripAbsolutePaths } from './record-files.js';
import type { Project } from './project.js';
import { relToRoot } from './project.js';
import { pathPresent } from './strict-read.js';

export type RunCreateInput = Omit<Extract<EventBody, { type: 'run.created' }>, 'type' | 'run_id'>;

interface CacheEntry {
  stat: FileStamp;
  run: RunRecord;
  journal: JournalRead;
}

export interface StoreHooks {
  /** Called after a run's snapshot changed (created, status change, new events). Errors are reported, not fatal. */
  onChanged?: (run: RunRecord, store: RunStore, previous: RunRecord | null) => void | Promise<void>;
}

export interface RunStoreOptions {
  now?: () => Date;
  random6?: () => string;
  env?: Record<string, string | undefined>;
  fsync?: boolean;
  hooks?: StoreHooks;
  /** How long a writer waits for another writer of the same run (ms). */
  lockWaitMs?: number;
  warn?: (message: string) => void;
}

export class RunStore {
  readonly project: Project;
  private readonly now: () => Date;
  private readonly random6: () => string;
  private readonly redact: Redactor;
  private readonly fsync: boolean;
  private readonly hooks: StoreHooks;
  private readonly lockWaitMs: number;
  private readonly warn: (message: string) => void;
  /** Runs this process wrote, valid while their journal file is unchanged. */
  private readonly cache = new Map<string, CacheEntry>();

  constructor(project: Project, opts: RunStoreOptions = {}) {
    this.project = project;
    this.now = opts.now ?? (() => new Date());
    this.random6 = opts.random6 ?? random6;
    this.redact = makeRedactor(opts.env ?? process.env);
    this.fsync = opts.fsync ?? true;
    this.hooks = opts.hooks ?? {};
    this.lockWaitMs = opts.lockWaitMs ?? 30_000;
    this.warn = opts.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`));
  }

  get runsDir(): string {
    return this.project.runsDir;
  }

  /** Redact a text with the store's redactor (for logs written next to records). */
  redactText(text: string): string {
    return this.redact(text);
  }

  runDir(runId: string): string {
    validateRunIdArg(runId);
    return path.join(this.runsDir, runId);
  }

  recordDir(runId: string): string {
    return path.join(this.runDir(runId), 'record');
  }

  logsDir(runId: string): string {
    return path.join(this.runDir(runId), 'logs');
  }

  display(abs: string): string {
    return relToRoot(this.project, abs);
  }

  /** All run directory names (ids), sorted. Only names that are valid ids are returned. */
  listIds(): string[] {
    return listRunIds(this.runsDir);
  }

  /** Resolve `latest`, an exact id or a unique prefix to an existing run id (resolve-run.ts). */
  resolve(arg: string, flag = '--run'): string {
    return resolveRunId(this.runsDir, this.display(this.runsDir), arg, flag);
  }

  /** Full, validated read of a run's journal (for audits and writers). */
  journalFor(runId: string): JournalRead {
    const file = path.join(this.recordDir(runId), 'events.jsonl');
    return readJournal(file, this.display(file));
  }

  /**
   * Read a run (no lock; no writes but one repair): load-run.ts. Runs this process wrote itself are
   * served from memory while the journal file is unchanged (append-only: any other writer changes
   * its size). A finished run found lagging is repaired on disk when its writer lock is free
   * (repair-finished.ts).
   */
  load(runId: string): LoadedRun {
    const dir = this.runDir(runId);
    const cached = this.cache.get(runId);
    if (cached !== undefined && sameStat(statOrNull(path.join(dir, 'record', 'events.jsonl')), cached.stat)) {
      return { run: cached.run, dir, legacy: false, lagging: false, torn: null };
    }
    const { loaded, replayed } = readRunFromDisk(runId, dir, (p) => this.display(p));
    if (replayed === null || replayed.journal.torn !== null || !isFinishedRun(loaded.run)) return loaded;
    return { ...loaded, repaired: this.repairFinished(runId, dir, replayed.journal, loaded.run, replayed.stale) };
  }

  /**
   * A finished run whose snapshot lags (killed after its last journal append): persist the rebuilt
   * snapshot and attempt files now, under the writer lock if it is free, and bring its manifest
   * entry in step (in the background; the CLI settles it before it exits).
   */
  private repairFinished(runId: string, dir: string, journal: JournalRead, run: RunRecord, stale: RunRecord | null): boolean {
    const lastSeq = journal.events[journal.events.length - 1]?.seq ?? 0;
    const finalRun: RunRecord = { ...run, schema_version: run.schema_version ?? SCHEMA_VERSION };
    const display = this.display(path.join(dir, 'record', 'events.jsonl'));
    if (!repairFinishedRun(runId, dir, lastSeq, display, () => writeSnapshot(dir, finalRun, null))) return false;
    trackBackground(this.fireChanged(finalRun, stale));
    return true;
  }

  /** Load every run; records that fail to load are reported in `problems`, not fatal. */
  list(): { runs: RunRecord[]; problems: Array<{ run_id: string; message: string }> } {
    const runs: RunRecord[] = [];
    const problems: Array<{ run_id: string; message: string }> = [];
    for (const id of this.listIds()) {
      try {
        runs.push(this.load(id).run);
      } catch (err) {
        if (err instanceof InternalError || !(err instanceof Error)) throw err;
        problems.push({ run_id: id, message: err.message });
      }
    }
    return { runs, problems };
  }

  /**
   * Create a run with a fresh id (or `opts.runId`, an id made earlier, e.g. by `runr submit`); the
   * directory is created exclusively. `beforeWrite` runs once the directory exists and before
   * anything is journaled (a task run takes its session lock there); `alsoRecord` adds events to
   * the first journal write, so that write (one append) holds everything a reader needs — a kill
   * at any instant leaves either no record or a complete start.
   */
  async create(
    input: RunCreateInput,
    opts: { runId?: string; beforeWrite?: (runId: string) => void | Promise<void>; alsoRecord?: (runId: string) => EventBody[] } = {},
  ): Promise<RunRecord> {
    const runId = makeRunDir(this.runsDir, input.workflow.slug, this.now, this.random6, opts.runId);
    await opts.beforeWrite?.(runId);
    return this.mutate(runId, () => [{ type: 'run.created', run_id: runId, ...input }, ...(opts.alsoRecord?.(runId) ?? [])], { allowEmpty: true });
  }

  /**
   * Change a run: under its writer lock, `decide` sees the current record and returns the events
   * to append (it may do I/O such as validating outputs). Returns the new record.
   */
  async mutate(
    runId: string,
    decide: (run: RunRecord | null) => EventBody[] | Promise<EventBody[]>,
    opts: { allowEmpty?: boolean; signal?: AbortSignal } = {},
  ): Promise<RunRecord> {
    const dir = this.runDir(runId);
    if (!fs.existsSync(dir)) throw new UserError(`Run not found: ${runId}`, 'run_not_found');
    refuseRecordSymlinks(dir, (p) => this.display(p));
    // Validate the record before creating anything (bad input writes nothing).
    if (!opts.allowEmpty && !this.cache.has(runId)) this.load(runId);
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    fs.mkdirSync(path.join(dir, 'record'), { recursive: true });
    const lock = await acquireLock(path.join(logs, 'writer.lock'), { waitMs: this.lockWaitMs, purpose: 'write', ...(opts.signal ? { signal: opts.signal } : {}) });
    let changed: RunRecord | null = null;
    let previous: RunRecord | null = null;
    try {
      const journalFile = path.join(dir, 'record', 'events.jsonl');
      const cached = this.cache.get(runId);
      const fresh = cached !== undefined && sameStat(statOrNull(journalFile), cached.stat);
      const journal = fresh ? cached.journal : readJournal(journalFile, this.display(journalFile));
      if (!fresh) refuseBrokenJournal(runId, journal, this.display(journalFile), snapshotSeq(path.join(dir, 'record', 'RUN.json')));
      if (journal.torn !== null) this.warn(`${this.display(journalFile)}: ignored a torn last line (${journal.torn.bytes} bytes at line ${journal.torn.line}); it is cut off now`);
      let current: RunRecord | null = null;
      let rebuildAll = false;
      const bootstrap: EventBody[] = [];
      if (journal.events.length === 0) {
        const snapFile = path.join(dir, 'record', 'RUN.json');
        if (pathPresent(snapFile)) {
          // A record written by another tool: import it as the journal's base.
          const loaded = this.load(runId);
          current = stripAbsolutePaths(loaded.run);
          bootstrap.push({ type: 'run.imported', record: current });
          rebuildAll = true;
        } else if (!opts.allowEmpty) {
          throw new ValidationError(this.display(path.join(dir, 'record')), 'RUN.json', 'missing (the run has no record)');
        }
      } else if (fresh) {
        current = cached.run;
      } else {
        this.cache.delete(runId);
        const state = stateFromJournal(dir, journal, this.display(journalFile));
        current = state.run;
        // First write by this process: also repair attempt files that are missing or stale
        // (e.g. restored by hand, or left by an older runr that wrote RUN.json first).
        rebuildAll = state.lagging || !attemptFilesInStep(path.join(dir, 'record'), state.run);
      }
      previous = current;
      const decided = await decide(current);
      const bodies = [...bootstrap, ...decided];
      if (bodies.length === 0 && !rebuildAll) return current as RunRecord;
      // The journal's first write is atomic and flushed in place; an append is flushed on the
      // thread pool (fdatasync off the event loop: a process driving several runs, like the
      // orchestrator, is not stalled by one run's flush). Either way it is on disk before the
      // snapshot below is replaced and before mutate returns.
      const firstWrite = journal.goodBytes === 0;
      const written = appendEvents(journalFile, journal, bodies.map((b) => redactDeep(b, this.redact)), {
        now: this.now,
        transform: this.redact,
        fsync: this.fsync && firstWrite,
      });
      if (this.fsync && !firstWrite) await fdatasyncFile(journalFile);
      let run = current;
      for (const e of written) run = applyEvent(run, e);
      if (run === null) throw new InternalError('mutate produced no run');
      const finalRun: RunRecord = { ...run, schema_version: run.schema_version ?? SCHEMA_VERSION };
      // The write that finishes a run indexes it before RUN.json goes in step, so a kill at any point
      // leaves a lagging snapshot, which a reader repairs together with the index (repair-finished.ts).
      if (isFinishedRun(finalRun) && (previous === null || previous.status !== finalRun.status)) {
        await this.fireChanged(finalRun, previous);
        previous = finalRun;
      }
      writeSnapshot(dir, finalRun, rebuildAll ? null : written);
      const stamp = statOrNull(journalFile);
      if (stamp !== null) this.cache.set(runId, { stat: stamp, run: finalRun, journal });
      changed = finalRun;
      return finalRun;
    } finally {
      lock.release();
      if (changed !== null && changed !== previous) await this.fireChanged(changed, previous);
    }
  }

  private async fireChanged(run: RunRecord, previous: RunRecord | null): Promise<void> {
    if (!this.hooks.onChanged) return;
    try {
      await this.hooks.onChanged(run, this, previous);
    } catch (err) {
      this.warn(`after updating ${run.run_id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
