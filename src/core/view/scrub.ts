/**
 * The last pass over a page's data (pure): the records' secret redaction once more (with the
 * environment of the process writing the page), `absolute_path` keys dropped (records of the
 * Orchestration Runner carry them), and any absolute path of this machine that a string still
 * holds — the repository root, the home directory — rewritten as relative (`.`, `~`).
 */
import type { Redactor } from '../redact.js';

export interface ScrubOptions {
  redact: Redactor;
  /** Absolute prefixes and what they become, longest first is not required (sorted here). */
  prefixes: Array<{ abs: string; as: string }>;
}

export function makeScrubber(opts: ScrubOptions): <T>(value: T) => T {
  const prefixes = opts.prefixes.filter((p) => p.abs.length > 1).sort((a, b) => b.abs.length - a.abs.length);
  const text = (s: string): string => {
    let out = opts.redact(s);
    for (const p of prefixes) if (out.includes(p.abs)) out = out.split(p.abs).join(p.as);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'absolute_path') out[k] = walk(x);
      return out;
    }
    return v;
  };
  return <T>(value: T): T => walk(value) as T;
}
