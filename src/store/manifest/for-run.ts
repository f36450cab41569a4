/**
 * The store's hook: keep a run's manifest entry in step after each change (created, status
 * changed, ended). The record is read again under the manifest lock, so two processes changing the
 * same run can never leave the older state in the manifest (whoever writes last writes the latest
 * record on disk).
 */
import { InternalError } from '../../core/errors.js';
import { entryFromRecord } from '../../core/manifest/entry.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { RunStore } from '../run-store.js';
import type { ManifestOptions } from './options.js';
import { resolveOptions } from './options.js';
import { changeManifest } from './update.js';

export async function updateManifestForRun(run: RunRecord, store: RunStore, opts: Omit<ManifestOptions, 'runsDir'> = {}): Promise<void> {
  const o = await resolveOptions({ ...opts, runsDir: store.runsDir });
  await changeManifest(o, () => {
    let latest = run;
    try {
      latest = store.load(run.run_id).run;
    } catch (err) {
      if (err instanceof InternalError) throw err;
      // Unreadable right now: index what the writer just wrote.
    }
    return { upsert: [entryFromRecord(latest)] };
  });
}
