/**
 * `tracks.yaml` (operator guide, "Advanced: Multiple Runs"): `tracks: [{id, tasks: [{path}]}]`.
 * Strict: an unknown key anywhere is an error (a misspelt `task:` must not silently run nothing).
 * Checks that need no file system live here (shape, ids, duplicates); the shell resolves each
 * task path (exists, is a file, stays inside the repository, parses as a task) before anything starts.
 */
import * as z from 'zod';

/** Track ids name branches and directories: letters, digits, `.`, `_`, `-`; no leading dot or dash. */
export const TRACK_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

const TaskEntrySchema = z.strictObject({
  path: z.string().min(1, 'expected a task file path, got an empty string'),
});

const TrackSchema = z.strictObject({
  id: z.string().regex(TRACK_ID_RE, 'expected letters, digits, "_" or "-" (at most 63, not starting with "-" or "_")'),
  tasks: z.array(TaskEntrySchema).min(1, 'a track needs at least one task'),
});

export const TracksFileSchema = z.strictObject({
  tracks: z.array(TrackSchema).min(1, 'at least one track is needed'),
});
export type TracksFile = z.infer<typeof TracksFileSchema>;

export interface FileProblem {
  field: string;
  problem: string;
}

/** Problems that need no file system: duplicate track ids (case-insensitive: they name branches). */
export function checkTracks(file: TracksFile): FileProblem | null {
  const ids = new Map<string, number>();
  for (const [i, t] of file.tracks.entries()) {
    const key = t.id.toLowerCase();
    const first = ids.get(key);
    if (first !== undefined) return { field: `tracks[${i}].id`, problem: `duplicate track id ${JSON.stringify(t.id)} (also tracks[${first}].id)` };
    ids.set(key, i);
  }
  return null;
}

/** A task listed twice (in one track or two) would run twice: refuse it. `resolved` is per task. */
export function duplicateTask(resolved: ReadonlyArray<{ field: string; rel: string }>): FileProblem | null {
  const seen = new Map<string, string>();
  for (const r of resolved) {
    const first = seen.get(r.rel);
    if (first !== undefined) return { field: r.field, problem: `${r.rel} is listed twice (also ${first}); a task runs once per orchestration` };
    seen.set(r.rel, r.field);
  }
  return null;
}
