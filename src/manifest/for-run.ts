/**
 * The store's hook: keep a run's manifest entry in step after each change (created, status
 * changed, ended). Two processes may change the same run one after the other and reach this hook
 * in the opposite order; so, under the manifest lock, the snapshot on disk is checked and used
 * when it is newer (a higher `journal_seq`) than the record the hook was given. Only RUN.json is
 * read, not the journal: this runs after every gate event.
 */
import fs from 'node:fs';
import path from 'node:path';
import { entryFromRecord } from '../core/manifest/entry.js';
import type { RunRecord } from '../core/schemas/run.js';
import { safeParseRunRecord } from '../core/schemas/run-fast.js';
import type { RunStore } from '../store/run-store.js';
import { withManifestLock } from './io.js';
import type { ManifestOptions, ResolvedOptions } from './options.js';
import { manifestFile } from './paths.js';
import { resolveOptions } from './options.js';
import { changeManifest } from './update.js';
import { parseStrictJson, readStrictText } from '../store/strict-read.js';

function newerOnDisk(run: RunRecord, store: RunStore): RunRecord {
  const mine = run.journal_seq;
  if (mine === undefined) return run;
  try {
    const raw: unknown = parseStrictJson(readStrictText(path.join(store.recordDir(run.run_id), 'RUN.json'), 'RUN.json'), 'RUN.json');
    const seq = raw !== null && typeof raw === 'object' ? (raw as { journal_seq?: unknown }).journal_seq : undefined;
    if (typeof seq !== 'number' || seq <= mine) return run;
    const parsed = safeParseRunRecord(raw);
    return parsed.success ? parsed.data : run;
  } catch {
    // Unreadable right now (being replaced, removed): index what the writer just wrote.
    return run;
  }
}

export async function updateManifestForRun(run: RunRecord, store: RunStore, opts: Omit<ManifestOptions, 'runsDir'> = {}): Promise<void> {
  await updateManifestForRuns([run], store, opts);
}

/** Several runs of one store in one locked write (the pending entries of a command). */
export async function updateManifestForRuns(runs: readonly RunRecord[], store: RunStore, opts: Omit<ManifestOptions, 'runsDir'> = {}): Promise<void> {
  const o = await resolveOptions({ ...opts, runsDir: store.runsDir });
  // No manifest yet: index the whole runs directory, not only this run, so that runs made before
  // (by another tool, or copied in) are listed too. Listings read the index (listing.ts).
  if (!fs.existsSync(manifestFile(o.runsDir)) && (await indexAll(o))) return;
  await changeManifest(o, () => ({ upsert: runs.map((run) => entryFromRecord(newerOnDisk(run, store))) }));
}

async function indexAll(o: ResolvedOptions): Promise<boolean> {
  const { rebuildLocked } = await import('./rebuild.js');
  return withManifestLock(o, () => {
    if (fs.existsSync(manifestFile(o.runsDir))) return false;
    rebuildLocked(o, 'auto');
    return true;
  });
}
