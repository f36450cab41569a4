/**
 * Enough of Python's `datetime.fromisoformat` (3.11) and `timedelta.total_seconds()` to compute a
 * run's duration exactly as the harness does: `(end - start).total_seconds()`, where mixing a naive
 * and an aware time is an error (the harness then prints 0).
 */

export interface PyDateTime {
  /** Microseconds since 0001-01-01 on the wall clock, offset applied when aware. */
  micros: bigint;
  aware: boolean;
}

const DATE_RE = /^(\d{4})-?(\d{2})-?(\d{2})/;
const TIME_RE = /^(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?$/;
const TZ_RE = /^([+-])(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,6}))?)?)?$/;

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function fracMicros(frac: string | undefined): number {
  if (frac === undefined) return 0;
  return Number(frac.slice(0, 6).padEnd(6, '0'));
}

/** Parse like `datetime.fromisoformat`; null where Python raises. */
export function parseIsoDateTime(text: string): PyDateTime | null {
  const dm = DATE_RE.exec(text);
  if (!dm) return null;
  const dateLen = dm[0].length;
  // "YYYY-MMDD" / "YYYYMM-DD" mixes are not ISO; Python rejects them.
  if (dateLen !== 8 && dateLen !== 10) return null;
  const y = Number(dm[1]);
  const mo = Number(dm[2]);
  const d = Number(dm[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  let micros = BigInt(daysFromCivil(y, mo, d)) * 86_400_000_000n;
  let aware = false;
  const rest = text.slice(dateLen);
  if (rest !== '') {
    // Any single character separates date and time (Python 3.11).
    const body = [...rest].slice(1).join('');
    const tzAt = body.search(/[+-]/);
    const timePart = tzAt === -1 ? body : body.slice(0, tzAt);
    const tzPart = tzAt === -1 ? '' : body.slice(tzAt);
    const tm = TIME_RE.exec(timePart);
    if (!tm) return null;
    const h = Number(tm[1]);
    const mi = Number(tm[2] ?? 0);
    const s = Number(tm[3] ?? 0);
    if (h > 23 || mi > 59 || s > 59) return null;
    micros += BigInt(((h * 60 + mi) * 60 + s) * 1_000_000 + fracMicros(tm[4]));
    if (tzPart !== '') {
      const zm = TZ_RE.exec(tzPart);
      if (!zm) return null;
      const oh = Number(zm[2]);
      const om = Number(zm[3] ?? 0);
      const os = Number(zm[4] ?? 0);
      if (oh > 23 || om > 59 || os > 59) return null;
      const off = BigInt(((oh * 60 + om) * 60 + os) * 1_000_000 + fracMicros(zm[5]));
      micros -= zm[1] === '-' ? -off : off;
      aware = true;
    }
  }
  return { micros, aware };
}

/** `(end - start).total_seconds()` for two harness timestamps, with the harness's `Z` handling; null on error. */
export function pyDurationSeconds(start: unknown, end: unknown): number | null {
  if (typeof start !== 'string' || typeof end !== 'string') return null;
  const a = parseIsoDateTime(start.replaceAll('Z', '+00:00'));
  const b = parseIsoDateTime(end.replaceAll('Z', '+00:00'));
  if (a === null || b === null || a.aware !== b.aware) return null;
  return Number(b.micros - a.micros) / 1e6;
}
