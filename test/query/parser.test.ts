import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/core/query/ast.js';
import { QuerySyntaxError } from '../../src/core/query/errors.js';
import { tokenize } from '../../src/core/query/lexer.js';
import { parseQuery } from '../../src/core/query/parser.js';
import { parseOrderBy } from '../../src/core/query/order-by.js';

/** A compact rendering of the tree: (a and b), (a or b), not x, field op literal. */
function show(e: Expr): string {
  switch (e.type) {
    case 'and':
    case 'or':
      return `(${show(e.left)} ${e.type} ${show(e.right)})`;
    case 'not':
      return `not ${show(e.expr)}`;
    case 'cmp':
      return `${e.field.name}${e.op}${e.value.kind === 'string' ? `'${e.value.value}'` : e.value.kind === 'date' ? `@${new Date(e.value.value).toISOString()}` : String(e.value.value)}`;
    case 'in':
      return `${e.field.name} ${e.negated ? 'not in' : 'in'} [${e.values.map((v) => String(v.value)).join(',')}]`;
    case 'like':
      return `${e.field.name} ${e.negated ? 'not ' : ''}${e.insensitive ? 'ilike' : 'like'} '${e.pattern}'`;
    case 'null':
      return `${e.field.name} is ${e.negated ? 'not ' : ''}null`;
  }
}

function syntaxError(query: string): QuerySyntaxError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof QuerySyntaxError) return err;
    throw err;
  }
  throw new Error(`expected a syntax error for ${query}`);
}

describe('lexer', () => {
  it('reads fields, keywords case-insensitively, numbers, strings, dates and operators', () => {
    const kinds = tokenize("params.`odd key`.x AND Status <> 'it''s' or n >= -1.5e3 and d < 2026-01-31T12:00Z").map((t) => t.kind);
    expect(kinds).toEqual(['field', 'keyword', 'field', 'op', 'string', 'keyword', 'field', 'op', 'number', 'keyword', 'field', 'op', 'date', 'eof']);
    const [field] = tokenize('params.`odd key`.x');
    expect(field).toMatchObject({ kind: 'field', segments: ['params', 'odd key', 'x'] });
    expect(tokenize("'it''s'")[0]).toMatchObject({ kind: 'string', value: "it's" });
    expect(tokenize('"double"')[0]).toMatchObject({ kind: 'string', value: 'double' });
    expect(tokenize('<>')[0]).toMatchObject({ kind: 'op', value: '!=' });
  });

  it('rejects stray characters with their column', () => {
    expect(() => tokenize('status = #')).toThrow(/column 10: unexpected character '#'/);
    expect(() => tokenize("status = 'open")).toThrow(/column 10: unterminated string/);
    expect(() => tokenize('x = 2026-02-30')).toThrow(/column 5: not a valid date/);
    expect(() => tokenize('x = 12abc')).toThrow(/column 7/);
  });
});

describe('parser: precedence', () => {
  it('binds and tighter than or', () => {
    expect(show(parseQuery("status = 'A' or status = 'B' and kind = 'task'"))).toBe("(status='A' or (status='B' and kind='task'))");
  });

  it('lets parentheses override precedence', () => {
    expect(show(parseQuery("(status = 'A' or status = 'B') and kind = 'task'"))).toBe("((status='A' or status='B') and kind='task')");
  });

  it('binds not tighter than and, and nests', () => {
    expect(show(parseQuery("not status = 'A' and not not kind = 'x'"))).toBe("(not status='A' and not not kind='x')");
    expect(show(parseQuery("not (status = 'A' or kind = 'x')"))).toBe("not (status='A' or kind='x')");
  });

  it('is left-associative for chains of and / or', () => {
    expect(show(parseQuery('a_1 = 1 or b = 2 or c = 3'.replace(/a_1|b|c/g, (m) => `params.${m}`)))).toBe('((params.a_1=1 or params.b=2) or params.c=3)');
  });

  it('parses in, not in, like, ilike, is null, is not null', () => {
    expect(show(parseQuery('params.seed in (1, 2, 3)'))).toBe('params.seed in [1,2,3]');
    expect(show(parseQuery("status not in ('A')"))).toBe('status not in [A]');
    expect(show(parseQuery("workflow like 'vis%'"))).toBe("workflow like 'vis%'");
    expect(show(parseQuery("workflow not ilike 'VIS%'"))).toBe("workflow not ilike 'VIS%'");
    expect(show(parseQuery('stop_reason is null'))).toBe('stop_reason is null');
    expect(show(parseQuery('stop_reason IS NOT NULL'))).toBe('stop_reason is not null');
  });

  it('turns quoted dates on time fields into instants', () => {
    expect(show(parseQuery("started_at >= '2026-01-19'"))).toBe('started_at>=@2026-01-19T00:00:00.000Z');
    expect(show(parseQuery('ended_at < 2026-01-19T23:00:00+01:00'))).toBe('ended_at<@2026-01-19T22:00:00.000Z');
  });

  it('accepts the design example', () => {
    expect(() => parseQuery("status = 'PASSED' and params.seed in (1, 2) and (metrics.total_tokens > 1e5 or workflow like 'visual%')")).not.toThrow();
  });
});

describe('parser: errors point at the column', () => {
  const cases: Array<[string, number, RegExp]> = [
    ["status = 'A' and", 17, /expected a field name/],
    ["status = 'A' or (kind = 'x'", 17, /unclosed '\('/],
    ["status = 'A')", 13, /unmatched '\)'/],
    ['status', 7, /expected an operator after status/],
    ['status =', 9, /expected a value after '='/],
    ['nosuch = 1', 1, /unknown field 'nosuch'/],
    ['params = 1', 1, /params needs a key/],
    ['status = null', 10, /use 'is null'/],
    ["started_at > 'yesterday'", 14, /started_at is a time/],
    ['started_at > 5', 14, /started_at is a time/],
    ['params.seed in (1 2)', 19, /expected ',' or '\)'/],
    ["status = 'A' status = 'B'", 14, /expected 'and', 'or' or the end/],
    ['workflow like 5', 15, /a quoted pattern/],
    ['status is 5', 11, /'null' after 'is'/],
    ['', 1, /empty/],
    ['status ! 1', 8, /did you mean '!='/],
  ];
  it.each(cases)('%s → column %i', (query, column, message) => {
    const err = syntaxError(query);
    expect(err.column).toBe(column);
    expect(err.message).toMatch(message);
    expect(err.exitCode).toBe(2);
  });

  it('renders the query with a caret under the column', () => {
    const err = syntaxError("status = 'A' and");
    const lines = err.message.split('\n');
    expect(lines[0]).toBe('query: column 17: expected a field name (status, params.seed, …), got end of query');
    expect(lines[1]).toBe("  status = 'A' and");
    expect(lines[2]).toBe(`  ${' '.repeat(16)}^`);
  });
});

describe('order by', () => {
  it('parses fields and directions', () => {
    const keys = parseOrderBy('metrics.loss desc, run_id ASC, started_at');
    expect(keys.map((k) => [k.field.name, k.desc])).toEqual([['metrics.loss', true], ['run_id', false], ['started_at', false]]);
  });

  it('reports errors with the flag name', () => {
    expect(() => parseOrderBy('metrics.loss sideways')).toThrow(/^--order-by: column 14: expected 'asc', 'desc', ',' or the end/);
    expect(() => parseOrderBy('nope')).toThrow(/--order-by: column 1: unknown field/);
  });
});
