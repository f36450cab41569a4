/**
 * A run's checkpoint as the registry keeps it: the tip of `runr/<run_id>` that the attempt pushed
 * (under its fencing token) and a copy of the run's record at that moment, so the next attempt —
 * on any machine — resumes after the last checkpoint instead of starting again.
 */
import * as z from 'zod';

export const RunCheckpointSchema = z.object({
  v: z.literal(1),
  /** The attempt that pushed it. */
  attempt: z.number().int().positive(),
  /** Tip of `runr/<run_id>` on the shared remote. */
  branch_sha: z.string().regex(/^[0-9a-f]{40}$/),
  /** The runs directory, relative to the repository root (where `files` go). */
  runs_dir: z.string().min(1),
  /** Files of `<runs dir>/<run_id>/`, path relative to it → base64 content. */
  files: z.record(z.string(), z.string()),
});
export type RunCheckpoint = z.infer<typeof RunCheckpointSchema>;

/** A snapshot path must stay inside the run's directory. */
export function safeSnapshotPath(rel: string): boolean {
  if (rel === '' || rel.startsWith('/') || rel.includes('\\')) return false;
  return rel.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

/** The journal is append-only: a copy taken mid-append keeps whole lines only. */
export function wholeLines(data: Uint8Array): Uint8Array {
  for (let i = data.length - 1; i >= 0; i--) if (data[i] === 0x0a) return data.subarray(0, i + 1);
  return data.subarray(0, 0);
}
