/**
 * The one option layer. Each command declares its options once, as a table of specs; the table
 * both registers the commander options (for parsing and help) and turns commander's raw values into
 * a typed object. Every bad value gets the same one-line form:
 *
 *   error: --depth: expected one of quick, standard, deep, got "x"
 *
 * Commander's own validators (`.choices()`, `requiredOption`) are not used, so that no second error
 * form exists; choices still show in `--help` (`argChoices`).
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';

export interface OptSpec<T> {
  /** A fresh commander option (one per command it is added to). */
  readonly option: () => Option;
  /** Raw commander value → typed value, or a UserError in the one form. */
  readonly parse: (raw: unknown, flag: string) => T;
}

export type OptSpecs = Record<string, OptSpec<unknown>>;
export type ParsedOptions<S extends OptSpecs> = { [K in keyof S]: S[K] extends OptSpec<infer T> ? T : never };

/** `--flag: expected <what>, got "<value>"` */
export function badValue(flag: string, expected: string, got: unknown): UserError {
  const shown = typeof got === 'string' ? JSON.stringify(got) : Array.isArray(got) ? JSON.stringify(got.join(' ')) : String(got);
  return new UserError(`${flag}: expected ${expected}, got ${shown}`);
}

function make(flags: string, description: string, extra?: (o: Option) => void): () => Option {
  return () => {
    const o = new Option(flags, description);
    extra?.(o);
    return o;
  };
}

interface TextOpts {
  hidden?: boolean;
}

/** A boolean switch (`--force`). */
export function flag(flags: string, description: string, o: TextOpts = {}): OptSpec<boolean> {
  return { option: make(flags, description, (x) => o.hidden === true && x.hideHelp()), parse: (raw) => raw === true };
}

/** A negatable switch (`--no-record`): true unless given. */
export function negatable(flags: string, description: string): OptSpec<boolean> {
  return { option: make(flags, description), parse: (raw) => raw !== false };
}

function stringValue(raw: unknown, flag: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw badValue(flag, 'a value', raw);
  return raw;
}

/** An optional string value. */
export function text(flags: string, description: string, o: TextOpts & { default?: string } = {}): OptSpec<string | undefined> {
  return {
    option: make(flags, description, (x) => {
      if (o.hidden === true) x.hideHelp();
      if (o.default !== undefined) x.default(o.default);
    }),
    parse: (raw, f) => stringValue(raw, f),
  };
}

/** A string value the command cannot do without. */
export function requiredText(flags: string, description: string): OptSpec<string> {
  return {
    option: make(`${flags}`, `${description} (required)`),
    parse: (raw, f) => {
      const v = stringValue(raw, f);
      if (v === undefined || v === '') throw new UserError(`${f}: required, not given`);
      return v;
    },
  };
}

/** One of a closed set of values. With a default the result is never undefined. */
export function choice<const C extends readonly string[]>(flags: string, description: string, choices: C): OptSpec<C[number] | undefined>;
export function choice<const C extends readonly string[]>(flags: string, description: string, choices: C, dflt: C[number]): OptSpec<C[number]>;
export function choice<const C extends readonly string[]>(flags: string, description: string, choices: C, dflt?: C[number]): OptSpec<C[number] | undefined> {
  return {
    option: make(flags, description, (x) => {
      x.argChoices = [...choices];
      if (dflt !== undefined) x.default(dflt);
    }),
    parse: (raw, f) => {
      const v = stringValue(raw, f);
      if (v === undefined) return dflt;
      if (!(choices as readonly string[]).includes(v)) throw badValue(f, `one of ${choices.join(', ')}`, v);
      return v;
    },
  };
}

interface NumberOpts {
  min?: number;
  integer?: boolean;
}

function numberValue(raw: unknown, flag: string, o: NumberOpts): number | undefined {
  if (raw === undefined) return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  const what = `${o.integer === true ? 'an integer' : 'a number'}${o.min !== undefined ? ` ≥ ${o.min}` : ''}`;
  if (!Number.isFinite(n) || (o.integer === true && !Number.isInteger(n)) || (o.min !== undefined && n < o.min)) throw badValue(flag, what, raw);
  return n;
}

/** An optional number (`--timeout <s>`); `integer: true` for counts. */
export function num(flags: string, description: string, o: NumberOpts = {}): OptSpec<number | undefined> {
  return { option: make(flags, description), parse: (raw, f) => numberValue(raw, f, o) };
}

/** A number with a default shown in help. */
export function numWithDefault(flags: string, description: string, dflt: number, o: NumberOpts = {}): OptSpec<number> {
  return {
    option: make(flags, description, (x) => x.default(String(dflt))),
    parse: (raw, f) => numberValue(raw, f, o) ?? dflt,
  };
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** Repeatable `--param key=value` pairs into a record. */
export function pairs(flags: string, description: string): OptSpec<Record<string, string>> {
  return {
    option: make(flags, description),
    parse: (raw, f) => {
      if (raw === undefined) return {};
      const list: unknown[] = Array.isArray(raw) ? raw : [raw];
      const out: Record<string, string> = {};
      for (const item of list) {
        if (typeof item !== 'string') throw badValue(f, 'key=value', item);
        const eq = item.indexOf('=');
        if (eq <= 0) throw badValue(f, 'key=value', item);
        const k = item.slice(0, eq);
        if (!KEY_RE.test(k)) throw badValue(f, 'a key of letters, digits, _ . - (at most 64)', k);
        out[k] = item.slice(eq + 1);
      }
      return out;
    },
  };
}

/** Repeatable or variadic string values (`--variant <id...>`). */
export function list(flags: string, description: string): OptSpec<string[]> {
  return {
    option: make(flags, description),
    parse: (raw, f) => {
      if (raw === undefined) return [];
      const items: unknown[] = Array.isArray(raw) ? raw : [raw];
      return items.map((v) => {
        if (typeof v !== 'string') throw badValue(f, 'a value', v);
        return v;
      });
    },
  };
}

/** A repeatable option (`--sweep a=1,2 --sweep b=3`), each use one value, in the order typed. */
export function repeatable(flags: string, description: string): OptSpec<string[]> {
  const inner = list(flags, description);
  return {
    option: make(flags, `${description} (repeatable)`, (x) => x.argParser((v: string, prev: unknown) => [...(Array.isArray(prev) ? (prev as unknown[]) : []), v]).default([])),
    parse: inner.parse,
  };
}

/** Register a spec table on a command; the attribute names must be the table's keys. */
export function withOptions<C extends Command>(cmd: C, specs: OptSpecs): C {
  for (const [key, spec] of Object.entries(specs)) {
    const o = spec.option();
    if (o.attributeName() !== key) throw new Error(`option table key ${key} does not match ${o.flags} (${o.attributeName()})`);
    cmd.addOption(o);
  }
  return cmd;
}

/** Commander's raw option bag → the table's typed options (one error form for every bad value). */
export function parseOptions<S extends OptSpecs>(specs: S, raw: Record<string, unknown>): ParsedOptions<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const o = spec.option();
    out[key] = spec.parse(raw[key], o.long ?? o.short ?? o.flags);
  }
  return out as ParsedOptions<S>;
}
