/**
 * Query errors carry the column they refer to and render the query with a caret under it:
 *
 *   query: column 17: expected a value after '=', got end of query
 *     status = 'PASSED' and
 *                       ^
 *
 * They are user errors (exit 2).
 */
import { UserError } from '../errors.js';

export class QuerySyntaxError extends UserError {
  override readonly name = 'QuerySyntaxError';
  constructor(
    /** What was being parsed: `query` or `--order-by`. */
    readonly what: string,
    readonly source: string,
    /** 0-based offset into `source`. */
    readonly offset: number,
    readonly problem: string,
  ) {
    super(renderQueryError(what, source, offset, problem));
  }

  /** 1-based column, as printed. */
  get column(): number {
    return this.offset + 1;
  }
}

export function renderQueryError(what: string, source: string, offset: number, problem: string): string {
  // Tabs and newlines would shift the caret; show them as single spaces.
  const shown = source.replace(/[\t\r\n]/g, ' ');
  const at = Math.max(0, Math.min(offset, shown.length));
  return `${what}: column ${at + 1}: ${problem}\n  ${shown}\n  ${' '.repeat(at)}^`;
}
