/**
 * Run layouts that `manifest rebuild` can index.
 * - `runr`: runr's store, `<dir>/<run_id>/record/{RUN.json,events.jsonl}`.
 * - `esy`: the Orchestration Runner's `orchestration/runs/run_*\/record/RUN.json` (no journal). runr's
 *   records are a superset of these, so both are read by the same loader; the name only says which
 *   tool wrote them.
 * - `devbench`: genai-devbench, `<dir>/<framework>/<run_id>/{metadata.json,metrics.json}`.
 */
export const LAYOUTS = ['runr', 'esy', 'devbench'] as const;
export type Layout = (typeof LAYOUTS)[number];
export const LAYOUT_CHOICES = ['auto', ...LAYOUTS] as const;
export type LayoutChoice = (typeof LAYOUT_CHOICES)[number];

export interface ScanProblem {
  /** Absolute path of the file or directory that could not be read. */
  path: string;
  message: string;
}
