/**
 * ISO dates in queries: `2026-01-31`, `2026-01-31T12:00`, `2026-01-31T12:00:05.123Z`,
 * `2026-01-31T12:00:05+02:00`. A date without a time is midnight UTC; a time without a zone is UTC
 * (runs are recorded in UTC, so this is what users mean when they copy a timestamp).
 */

export const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds of an ISO date literal, or null when it is not a valid date. */
export function parseIsoDate(text: string): number | null {
  const m = ISO_DATE_RE.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const ms = Number((frac + '000').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), ms);
  const check = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to March; a literal like that is a typo, not a date.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return utc - sign * offsetMin * 60_000;
}

/**
 * Epoch milliseconds of a recorded time value (ISO string; foreign files may hold epoch seconds,
 * which rebuild converts, but hand-edited manifests may still have them). NaN when unusable.
 */
export function timeValueMs(value: unknown): number {
  if (typeof value === 'string') return Date.parse(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  return Number.NaN;
}
