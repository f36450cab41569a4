/** Legacy option helpers for commands not yet on the option table (option-spec.ts); new code uses the table. */
import { UserError } from '../core/errors.js';

export function str(opts: Record<string, unknown>, key: string, flag: string): string {
  const v = opts[key];
  if (typeof v !== 'string' || v === '') throw new UserError(`${flag}: a value is required`);
  return v;
}

export function optStr(opts: Record<string, unknown>, key: string): string | undefined {
  const v = opts[key];
  return typeof v === 'string' ? v : undefined;
}

export function optBool(opts: Record<string, unknown>, key: string): boolean {
  return opts[key] === true;
}

export function optInt(opts: Record<string, unknown>, key: string, flag: string, min = 0): number | undefined {
  const v = opts[key];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < min) throw new UserError(`${flag}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return n;
}

export function optNumber(opts: Record<string, unknown>, key: string, flag: string, min = 0): number | undefined {
  const v = opts[key];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < min) throw new UserError(`${flag}: expected a number ≥ ${min}, got ${JSON.stringify(v)}`);
  return n;
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** `--param k=v` pairs (repeatable) into a record; numbers stay strings unless `coerce`. */
export function keyValues(opts: Record<string, unknown>, key: string, flag: string): Record<string, string> {
  const v = opts[key];
  if (v === undefined) return {};
  const list = Array.isArray(v) ? v : [v];
  const out: Record<string, string> = {};
  for (const item of list) {
    if (typeof item !== 'string') throw new UserError(`${flag}: expected key=value`);
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`${flag}: expected key=value, got ${JSON.stringify(item)}`);
    const k = item.slice(0, eq);
    if (!KEY_RE.test(k)) throw new UserError(`${flag}: invalid key ${JSON.stringify(k)}`);
    out[k] = item.slice(eq + 1);
  }
  return out;
}
