/** The options that narrow a listing of runs (`runr run list`, `runr status --all`), declared once. */
import { num, text } from '../option-spec.js';
import type { ListFilters } from '../../manifest/listing.js';

export const LIST_FILTERS = {
  limit: num('--limit <n>', 'at most n runs, newest first (0: all; default: 50 in the human listing, all with --json)', { integer: true, min: 0 }),
  status: text('--status <status>', 'only runs with this recorded status (QUEUED, RUNNING, PASSED, FAILED, CANCELED, STOPPED)'),
  since: text('--since <date>', 'only runs started at or after this date (2026-01-31, 2026-01-31T12:00)'),
  where: text('--where <expr>', "only runs matching a query in the find language (e.g. \"params.seed = 3 and workflow like 'visual%'\")"),
};

/** The human listing shows this many runs unless --limit says otherwise. */
export const HUMAN_LIMIT = 50;

export function listFilters(o: { status: string | undefined; since: string | undefined; where: string | undefined }): ListFilters {
  return { status: o.status, since: o.since, where: o.where };
}

/** The limit to apply: --limit (0 = all), else 50 for people and all for --json. */
export function listLimit(limit: number | undefined, json: boolean): number | null {
  if (limit === 0) return null;
  if (limit !== undefined) return limit;
  return json ? null : HUMAN_LIMIT;
}

export function moreLine(shown: number, matched: number): string | null {
  if (matched <= shown) return null;
  return `… ${matched - shown} more (${shown} of ${matched} shown; --limit <n> for more, --limit 0 for all)`;
}
