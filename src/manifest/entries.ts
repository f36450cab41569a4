/** updateManifest and removeRun: the original's upsert and remove, made atomic and locked. */
import { UserError, ValidationError } from '../core/errors.js';
import { checkEntry } from '../core/manifest/check.js';
import type { ManifestEntry } from '../core/manifest/entry.js';
import { entryFromRecord } from '../core/manifest/entry.js';
import type { RunRecord } from '../core/schemas/run.js';
import { parseRunRecord } from '../store/read-json.js';
import type { ManifestOptions } from './options.js';
import { resolveOptions } from './options.js';
import type { ChangeResult } from './update.js';
import { changeManifest } from './update.js';

/** What the original's `update_manifest(run_data)` took: run_id and framework are required, the rest defaults. */
export type ManifestEntryInput = Partial<ManifestEntry> & { run_id: string; framework: string };

function looksLikeRecord(x: object): boolean {
  const r = x as Record<string, unknown>;
  return typeof r.workflow === 'object' && r.workflow !== null && Array.isArray(r.gates);
}

/** The manifest entry for a run record or for entry fields (validated either way). */
export function toEntry(input: ManifestEntryInput | RunRecord): ManifestEntry {
  if (input === null || typeof input !== 'object') throw new UserError('updateManifest: expected a run record or an entry object');
  if (looksLikeRecord(input)) return entryFromRecord(parseRunRecord(input, 'run record'));
  const c = checkEntry(input);
  if (!c.ok) throw new ValidationError('manifest entry', c.field, c.problem);
  return c.entry;
}

/** Add or replace a run's entry (by run_id). Returns the entry as stored. */
export async function updateManifest(run: ManifestEntryInput | RunRecord, opts: ManifestOptions = {}): Promise<ManifestEntry> {
  const entry = toEntry(run);
  await changeManifest(await resolveOptions(opts), () => ({ upsert: [entry] }));
  return entry;
}

/** Add or replace several entries in one locked write. */
export async function updateManifestEntries(runs: ReadonlyArray<ManifestEntryInput | RunRecord>, opts: ManifestOptions = {}): Promise<ChangeResult> {
  const entries = runs.map(toEntry);
  return changeManifest(await resolveOptions(opts), () => ({ upsert: entries }));
}

/**
 * Remove a run's entry (the run directory is left alone; a later rebuild indexes it again).
 * Returns false, writing nothing, when the run is not in the manifest.
 */
export async function removeRun(runId: string, opts: ManifestOptions = {}): Promise<boolean> {
  if (typeof runId !== 'string' || runId === '') throw new UserError('removeRun: run id is empty');
  const r = await changeManifest(await resolveOptions(opts), () => ({ remove: [runId] }));
  return r.removed.length > 0;
}
