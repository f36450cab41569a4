/**
 * Tokens of the query language. A field path (`params.lr`, ``metrics.`val/loss` ``) is one token;
 * words without dots that are keywords (case-insensitive) become keyword tokens. `-` only ever
 * starts a negative number: the language has no arithmetic.
 */
import { parseIsoDate } from './dates.js';
import { QuerySyntaxError } from './errors.js';

export const KEYWORDS = ['and', 'or', 'not', 'in', 'is', 'null', 'like', 'ilike', 'true', 'false', 'asc', 'desc'] as const;
export type Keyword = (typeof KEYWORDS)[number];
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

export const COMPARISON_OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

interface At {
  /** 0-based offset of the first character. */
  start: number;
  end: number;
}

export type Token =
  | (At & { kind: 'field'; segments: string[]; text: string })
  | (At & { kind: 'keyword'; value: Keyword })
  | (At & { kind: 'string'; value: string })
  | (At & { kind: 'number'; value: number; text: string })
  | (At & { kind: 'date'; value: number; text: string })
  | (At & { kind: 'op'; value: ComparisonOp })
  | (At & { kind: 'lparen' | 'rparen' | 'comma' | 'eof' });

const IDENT_START = /[A-Za-z_]/;
const SEGMENT_CHAR = /[A-Za-z0-9_]/;
const DATE_AT = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?/y;
const NUMBER_AT = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

export function tokenize(source: string, what = 'query'): Token[] {
  const fail = (offset: number, problem: string): never => {
    throw new QuerySyntaxError(what, source, offset, problem);
  };
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', start, end: i + 1 });
      i++;
      continue;
    }
    if (c === '=' || c === '<' || c === '>' || c === '!') {
      const two = source.slice(i, i + 2);
      let op: ComparisonOp | null = null;
      let len = 1;
      if (two === '<=' || two === '>=' || two === '!=') [op, len] = [two, 2];
      else if (two === '<>') [op, len] = ['!=', 2];
      else if (two === '==') return fail(i, "'==' is not an operator (use '=')");
      else if (c !== '!') op = c;
      if (op === null) return fail(i, "unexpected '!' (did you mean '!=' or 'not'?)");
      tokens.push({ kind: 'op', value: op, start, end: i + len });
      i += len;
      continue;
    }
    if (c === "'" || c === '"') {
      const { value, end } = readQuoted(source, i, c, fail, 'string');
      tokens.push({ kind: 'string', value, start, end });
      i = end;
      continue;
    }
    if (/[0-9.-]/.test(c)) {
      DATE_AT.lastIndex = i;
      const d = DATE_AT.exec(source);
      if (d !== null) {
        const ms = parseIsoDate(d[0]);
        if (ms === null) return fail(i, `not a valid date: ${d[0]}`);
        i += d[0].length;
        if (i < n && SEGMENT_CHAR.test(source[i] as string)) return fail(i, `unexpected character '${source[i]}' after the date ${d[0]}`);
        tokens.push({ kind: 'date', value: ms, text: d[0], start, end: i });
        continue;
      }
      NUMBER_AT.lastIndex = i;
      const m = NUMBER_AT.exec(source);
      if (m === null) return fail(i, c === '-' ? "'-' must be followed by a number" : `unexpected character '${c}'`);
      i += m[0].length;
      if (i < n && /[A-Za-z_.]/.test(source[i] as string)) return fail(i, `unexpected character '${source[i]}' after the number ${m[0]}`);
      tokens.push({ kind: 'number', value: Number(m[0]), text: m[0], start, end: i });
      continue;
    }
    if (IDENT_START.test(c) || c === '`') {
      const { segments, end, quoted } = readPath(source, i, fail);
      i = end;
      const word = segments[0]?.toLowerCase() ?? '';
      if (segments.length === 1 && !quoted && KEYWORD_SET.has(word)) {
        tokens.push({ kind: 'keyword', value: word as Keyword, start, end });
      } else {
        tokens.push({ kind: 'field', segments, text: source.slice(start, end), start, end });
      }
      continue;
    }
    return fail(i, `unexpected character '${c}'`);
  }
  tokens.push({ kind: 'eof', start: n, end: n });
  return tokens;
}

/** A quoted string or backtick segment; the quote character is escaped by doubling it. */
function readQuoted(
  source: string,
  open: number,
  q: string,
  fail: (offset: number, problem: string) => never,
  what: 'string' | 'name',
): { value: string; end: number } {
  let value = '';
  let i = open + 1;
  for (;;) {
    const next = source.indexOf(q, i);
    if (next < 0) return fail(open, `unterminated ${what} (missing closing ${q})`);
    value += source.slice(i, next);
    if (source[next + 1] === q) {
      value += q;
      i = next + 2;
      continue;
    }
    return { value, end: next + 1 };
  }
}

function readPath(
  source: string,
  start: number,
  fail: (offset: number, problem: string) => never,
): { segments: string[]; end: number; quoted: boolean } {
  const segments: string[] = [];
  let i = start;
  let quoted = false;
  for (;;) {
    if (source[i] === '`') {
      const { value, end } = readQuoted(source, i, '`', fail, 'name');
      if (value === '') return fail(i, 'empty name between backticks');
      segments.push(value);
      quoted = true;
      i = end;
    } else {
      let j = i;
      while (j < source.length && SEGMENT_CHAR.test(source[j] as string)) j++;
      if (j === i) return fail(i, 'expected a name after "."');
      segments.push(source.slice(i, j));
      i = j;
    }
    if (source[i] !== '.') break;
    i++;
  }
  return { segments, end: i, quoted };
}
