/**
 * The data of a runr page, read from the store: the manifest's entries (the table, filtered with
 * `--where` exactly as `runr find` filters), and for each runr run its detail — the record, its
 * journal, whether its process is alive, and its audit. Returns data; writes nothing.
 */
import os from 'node:os';
import path from 'node:path';
import type { JournalEvent } from '../core/events/index.js';
import type { ManifestEntry } from '../core/manifest/entry.js';
import { entryFromRecord } from '../core/manifest/entry.js';
import { makeRedactor } from '../core/redact.js';
import type { RunRecord } from '../core/schemas/run.js';
import type { BatchView, RunDetail, ViewData, ViewScopeKind } from '../core/view/model.js';
import { VIEW_DATA_VERSION } from '../core/view/model.js';
import { opsDetail } from '../core/view/ops-detail.js';
import { makeScrubber } from '../core/view/scrub.js';
import { taskDetail } from '../core/view/task-detail.js';
import { workflowDetail } from '../core/view/workflow-detail.js';
import { getManifest } from '../manifest/get.js';
import { findRuns } from '../manifest/find.js';
import type { Project } from '../store/project.js';
import { openProject } from '../store/project.js';
import { RunStore } from '../store/run-store.js';
import { runAlive } from '../tasks/run-lock.js';
import { runVars } from '../workflows/gate-ops.js';
import { auditFor } from './audit-summary.js';
import { hrefResolver } from './links.js';

export interface CollectOptions {
  cwd: string;
  runsDir?: string;
  /** A query in runr's language: only matching runs are on the page. */
  where?: string | null;
  /** Only these runs (report --html, ops --html); a run the manifest does not list yet is read from its record. */
  runIds?: readonly string[];
  /** Studies batches for the page (batch report --html); default none. */
  batches?: BatchView[];
  /** Rows and details given by the caller (ops --html: what the command has just seen), replacing the store's. */
  given?: { entries: ManifestEntry[]; details: Record<string, RunDetail> };
  /** Directory of the HTML file (links are relative to it). */
  outDir: string;
  scope?: ViewScopeKind;
  title?: string;
  /** Re-hash every artifact (runr audit) for each run (default true). */
  audit?: boolean;
  env?: Record<string, string | undefined>;
  now?: () => Date;
}

export interface Collected {
  data: ViewData;
  project: Project;
  store: RunStore;
}

/** The detail of one runr run; null for a kind the page does not detail. */
export async function detailOf(store: RunStore, run: RunRecord, events: readonly JournalEvent[], outDir: string, audit: boolean): Promise<RunDetail | null> {
  const root = store.project.root;
  const audited = audit ? await auditFor(store, run.run_id) : null;
  const summary = audited?.summary ?? null;
  const kind = run.kind ?? 'workflow';
  switch (kind) {
    case 'workflow':
    case 'pipeline':
      return workflowDetail(run, hrefResolver(root, runVars(run), outDir), summary, audited?.artifacts);
    case 'task':
      return taskDetail(run, events, runAlive(store, run.run_id), summary);
    case 'ops':
      return opsDetail(run, hrefResolver(root, {}, outDir), summary);
    case 'orchestration':
      // Listed with its status; its tracks are shown by `runr orchestrate status|report`.
      return null;
  }
}

export function readEvents(store: RunStore, runId: string): JournalEvent[] {
  try {
    return store.journalFor(runId).events;
  } catch {
    return [];
  }
}

export async function collectView(opts: CollectOptions): Promise<Collected> {
  const project = openProject(opts.cwd, opts.runsDir !== undefined ? { runsDir: opts.runsDir } : {});
  const store = new RunStore(project, { ...(opts.env !== undefined ? { env: opts.env } : {}) });
  const manifest = await getManifest({ runsDir: project.runsDir, cwd: opts.cwd });
  const where = opts.where !== undefined && opts.where !== null && opts.where.trim() !== '' ? opts.where : null;
  let runs: ManifestEntry[] = where !== null ? await findRuns({ query: where }, { manifest }) : [...manifest.runs];
  const ids = new Set(store.listIds());
  if (opts.runIds !== undefined) {
    const wanted = new Set(opts.runIds);
    runs = runs.filter((e) => wanted.has(e.run_id));
    for (const id of opts.runIds) {
      if (runs.some((e) => e.run_id === id) || !ids.has(id)) continue;
      try {
        runs.push(entryFromRecord(store.load(id).run));
      } catch {
        // reported below, when its detail is read
      }
    }
  }
  for (const e of opts.given?.entries ?? []) if (!runs.some((r) => r.run_id === e.run_id)) runs.push(e);
  const details: Record<string, RunDetail> = {};
  const problems: ViewData['problems'] = [];
  for (const entry of runs) {
    const given = opts.given?.details[entry.run_id];
    if (given !== undefined) {
      details[entry.run_id] = given;
      continue;
    }
    if (entry.path !== entry.run_id || !ids.has(entry.run_id)) continue;
    try {
      const run = store.load(entry.run_id).run;
      const events = run.kind === 'task' ? readEvents(store, entry.run_id) : [];
      const d = await detailOf(store, run, events, opts.outDir, opts.audit ?? true);
      if (d !== null) details[entry.run_id] = d;
    } catch (err) {
      problems.push({ run_id: entry.run_id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  const scrub = scrubberFor(project, opts.env ?? process.env);
  const now = (opts.now ?? (() => new Date()))();
  let batches = opts.batches;
  if (batches === undefined && opts.runIds === undefined && opts.given === undefined) {
    // The store page shows every studies batch too (src/view/batches.ts).
    const { collectBatches } = await import('./batches.js');
    const { openStudies } = await import('../studies/layout.js');
    try {
      const c = await collectBatches(openStudies(opts.cwd, opts.runsDir !== undefined ? { runsDir: opts.runsDir } : {}), store, opts.outDir, now);
      batches = c.batches;
      problems.push(...c.problems);
    } catch (err) {
      problems.push({ run_id: 'studies', message: err instanceof Error ? err.message : String(err) });
    }
  }
  const data: ViewData = {
    version: VIEW_DATA_VERSION,
    title: opts.title ?? `runr — ${path.basename(project.root)}`,
    generated_at: now.toISOString(),
    scope: { kind: opts.scope ?? 'store', where, run_id: opts.runIds?.length === 1 ? (opts.runIds[0] ?? null) : null },
    total_runs: manifest.runs.length,
    runs,
    details,
    problems,
    live: null,
    batches: batches ?? [],
  };
  return { data: scrub(data), project, store };
}

export function scrubberFor(project: Project, env: Record<string, string | undefined>): <T>(v: T) => T {
  const prefixes = [{ abs: project.root, as: '.' }];
  const home = os.homedir();
  if (home !== '' && home !== '/') prefixes.push({ abs: home, as: '~' });
  return makeScrubber({ redact: makeRedactor(env), prefixes });
}
