/**
 * Recursive-descent parser. Precedence, loosest first: or, and, not, predicate.
 *
 *   expr      := and ('or' and)*
 *   and       := unary ('and' unary)*
 *   unary     := 'not' unary | '(' expr ')' | predicate
 *   predicate := field cmp literal
 *              | field ['not'] 'in' '(' literal (',' literal)* ')'
 *              | field ['not'] ('like' | 'ilike') string
 *              | field 'is' ['not'] 'null'
 *   literal   := string | number | date | true | false
 *
 * Literals are checked against the field here, so that `started_at > 'yesterday'` fails with a
 * column instead of silently matching nothing.
 */
import type { Expr, Literal } from './ast.js';
import { parseIsoDate } from './dates.js';
import { QuerySyntaxError } from './errors.js';
import type { FieldRef } from './fields.js';
import { resolveField } from './fields.js';
import type { Keyword, Token } from './lexer.js';
import { tokenize } from './lexer.js';

export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of query';
    case 'field':
      return `'${t.text}'`;
    case 'keyword':
      return `'${t.value}'`;
    case 'string':
      return `the text ${JSON.stringify(t.value)}`;
    case 'number':
    case 'date':
      return t.text;
    case 'op':
      return `'${t.value}'`;
    case 'lparen':
      return "'('";
    case 'rparen':
      return "')'";
    case 'comma':
      return "','";
  }
}

export class TokenStream {
  private i = 0;
  /** Current nesting and predicates so far (limits: MAX_QUERY_DEPTH, MAX_QUERY_TERMS). */
  depth = 0;
  terms = 0;
  constructor(
    readonly tokens: Token[],
    readonly source: string,
    readonly what: string,
  ) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  isKeyword(k: Keyword, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'keyword' && t.value === k;
  }

  fail(offset: number, problem: string): never {
    throw new QuerySyntaxError(this.what, this.source, offset, problem);
  }

  failAt(t: Token, expected: string): never {
    return this.fail(t.start, `expected ${expected}, got ${describeToken(t)}`);
  }

  field(): FieldRef {
    const t = this.next();
    if (t.kind !== 'field') return this.failAt(t, 'a field name (status, params.seed, …)');
    const r = resolveField(t.segments);
    if (!r.ok) return this.fail(t.start, r.problem);
    return { ...r.field, text: t.text, start: t.start, end: t.end };
  }
}

export function parseQuery(source: string): Expr {
  const ts = new TokenStream(tokenize(source, 'query'), source, 'query');
  if (ts.peek().kind === 'eof') ts.fail(0, 'the query is empty (example: status = \'PASSED\')');
  const expr = parseOr(ts);
  const rest = ts.peek();
  if (rest.kind !== 'eof') {
    if (rest.kind === 'rparen') ts.fail(rest.start, "unmatched ')'");
    ts.failAt(rest, "'and', 'or' or the end of the query");
  }
  return expr;
}

function parseOr(ts: TokenStream): Expr {
  let left = parseAnd(ts);
  while (ts.isKeyword('or')) {
    ts.next();
    left = { type: 'or', left, right: parseAnd(ts) };
  }
  return left;
}

function parseAnd(ts: TokenStream): Expr {
  let left = parseUnary(ts);
  while (ts.isKeyword('and')) {
    ts.next();
    left = { type: 'and', left, right: parseUnary(ts) };
  }
  return left;
}

/** Nesting (parentheses and `not`) and predicates per query: past these, a clean error, not a stack overflow. */
export const MAX_QUERY_DEPTH = 64;
export const MAX_QUERY_TERMS = 1000;
function nest(ts: TokenStream, t: Token): () => void {
  if (++ts.depth > MAX_QUERY_DEPTH) ts.fail(t.start, `the query nests deeper than ${MAX_QUERY_DEPTH} levels`);
  return () => {
    ts.depth -= 1;
  };
}

function parseUnary(ts: TokenStream): Expr {
  if (ts.isKeyword('not')) {
    const done = nest(ts, ts.next());
    const expr: Expr = { type: 'not', expr: parseUnary(ts) };
    done();
    return expr;
  }
  const t = ts.peek();
  if (t.kind === 'lparen') {
    ts.next();
    const done = nest(ts, t);
    const inner = parseOr(ts);
    done();
    const close = ts.next();
    if (close.kind !== 'rparen') {
      if (close.kind === 'eof') ts.fail(t.start, "unclosed '(' (missing ')')");
      ts.failAt(close, "')', 'and' or 'or'");
    }
    return inner;
  }
  return parsePredicate(ts);
}

function parsePredicate(ts: TokenStream): Expr {
  if (++ts.terms > MAX_QUERY_TERMS) ts.fail(ts.peek().start, `the query has more than ${MAX_QUERY_TERMS} conditions`);
  const field = ts.field();
  const t = ts.next();
  if (t.kind === 'op') return { type: 'cmp', field, op: t.value, value: literalFor(ts, field, t.value) };
  if (t.kind === 'keyword') {
    switch (t.value) {
      case 'is': {
        const negated = ts.isKeyword('not');
        if (negated) ts.next();
        const n = ts.next();
        if (n.kind !== 'keyword' || n.value !== 'null') ts.failAt(n, "'null' after 'is'");
        return { type: 'null', field, negated };
      }
      case 'in':
        return parseIn(ts, field, false);
      case 'like':
      case 'ilike':
        return parseLike(ts, field, t.value === 'ilike', false);
      case 'not': {
        const k = ts.next();
        if (k.kind === 'keyword' && k.value === 'in') return parseIn(ts, field, true);
        if (k.kind === 'keyword' && (k.value === 'like' || k.value === 'ilike')) return parseLike(ts, field, k.value === 'ilike', true);
        return ts.failAt(k, "'in', 'like' or 'ilike' after 'not'");
      }
      case 'and':
      case 'or':
      case 'null':
      case 'true':
      case 'false':
      case 'asc':
      case 'desc':
        break;
    }
  }
  return ts.failAt(t, `an operator after ${field.text} (= != < <= > >= in like ilike is)`);
}

function parseIn(ts: TokenStream, field: FieldRef, negated: boolean): Expr {
  const open = ts.next();
  if (open.kind !== 'lparen') ts.failAt(open, "'(' after 'in'");
  const values: Literal[] = [literalFor(ts, field, 'in')];
  for (;;) {
    const t = ts.next();
    if (t.kind === 'rparen') break;
    if (t.kind !== 'comma') {
      if (t.kind === 'eof') ts.fail(open.start, "unclosed '(' (missing ')')");
      ts.failAt(t, "',' or ')'");
    }
    values.push(literalFor(ts, field, 'in'));
  }
  return { type: 'in', field, values, negated };
}

function parseLike(ts: TokenStream, field: FieldRef, insensitive: boolean, negated: boolean): Expr {
  const t = ts.next();
  if (t.kind !== 'string') ts.failAt(t, `a quoted pattern after '${insensitive ? 'ilike' : 'like'}' (e.g. 'visual%')`);
  return { type: 'like', field, pattern: t.kind === 'string' ? t.value : '', insensitive, negated };
}

/** Read a literal and check it fits the field: time fields take dates, `= null` is a mistake. */
function literalFor(ts: TokenStream, field: FieldRef, op: string): Literal {
  const t = ts.next();
  const after = op === 'in' ? 'in the list' : `after '${op}'`;
  const at = { start: t.start, end: t.end };
  switch (t.kind) {
    case 'string': {
      if (field.type === 'time') {
        const ms = parseIsoDate(t.value);
        if (ms === null) ts.fail(t.start, `${field.text} is a time: compare it with an ISO date such as '2026-01-31' or '2026-01-31T12:00:00Z'`);
        return { kind: 'date', value: ms as number, text: t.value, ...at };
      }
      return { kind: 'string', value: t.value, ...at };
    }
    case 'number':
      if (field.type === 'time') ts.fail(t.start, `${field.text} is a time: compare it with an ISO date such as 2026-01-31, not a number`);
      return { kind: 'number', value: t.value, ...at };
    case 'date':
      return { kind: 'date', value: t.value, text: t.text, ...at };
    case 'keyword':
      if ((t.value === 'true' || t.value === 'false') && field.type === 'time') ts.fail(t.start, `${field.text} is a time: compare it with an ISO date such as 2026-01-31`);
      if (t.value === 'true' || t.value === 'false') return { kind: 'bool', value: t.value === 'true', ...at };
      if (t.value === 'null') ts.fail(t.start, op === '!=' ? "use 'is not null' to test for a value" : "use 'is null' to test for a missing value ('= null' is never true)");
      break;
    case 'field':
      ts.fail(t.start, `expected a value ${after}, got the field ${t.text} (quote text: '${t.text}')`);
      break;
    case 'op':
    case 'lparen':
    case 'rparen':
    case 'comma':
    case 'eof':
      break;
  }
  return ts.failAt(t, `a value ${after} (a number, 'quoted text', a date, true or false)`);
}
