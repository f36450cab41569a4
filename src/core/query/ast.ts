/** The parsed query: a tree of predicates joined by and / or / not. */
import type { FieldRef } from './fields.js';
import type { ComparisonOp } from './lexer.js';

interface At {
  start: number;
  end: number;
}

export type Literal =
  | (At & { kind: 'string'; value: string })
  | (At & { kind: 'number'; value: number })
  /** An instant: an unquoted ISO date, or a quoted one compared with a time field. */
  | (At & { kind: 'date'; value: number; text: string })
  | (At & { kind: 'bool'; value: boolean });

export type Expr =
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'not'; expr: Expr }
  | { type: 'cmp'; field: FieldRef; op: ComparisonOp; value: Literal }
  | { type: 'in'; field: FieldRef; values: Literal[]; negated: boolean }
  | { type: 'like'; field: FieldRef; pattern: string; insensitive: boolean; negated: boolean }
  | { type: 'null'; field: FieldRef; negated: boolean };
