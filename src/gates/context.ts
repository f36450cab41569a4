/** What validators get: where the repository is, template variables, and a contained resolver. */
import fs from 'node:fs';
import path from 'node:path';
import type { TemplateVars } from '../core/template.js';
import { normalizeRelPath, substitute } from '../core/template.js';
import { realpathLoose } from '../store/realpath-loose.js';
import { readStrictBytesOrNull } from '../store/strict-read.js';

export interface GateContext {
  /** Absolute repository root. */
  root: string;
  vars: TemplateVars;
  depth: string;
  signal?: AbortSignal;
  redact: (s: string) => string;
  /** Where command validators write their output (absolute, git-ignored). */
  logDir: string;
  env?: NodeJS.ProcessEnv;
  /** Hashing an artifact: called per chunk with the bytes done and the file's size (progress). */
  hashProgress?: HashProgress;
}

export type HashProgress = (artifact: string, done: number, total: number) => void;

export type Resolved =
  | { ok: true; template: string; rel: string; abs: string }
  | { ok: false; template: string; problem: 'path_escapes_repository' | 'unknown_variable'; detail: string };

function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return root;
  }
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Substitute and contain a path template. Templates that leave the repository — `..`, absolute
 * paths, or symlinks pointing outside — are refused before anything is read.
 */
export function resolveTemplate(ctx: Pick<GateContext, 'root' | 'vars'>, template: string): Resolved {
  const { value, unknown } = substitute(template, ctx.vars);
  if (unknown.length > 0) return { ok: false, template, problem: 'unknown_variable', detail: `unknown variable {${unknown.join('}, {')}}` };
  const norm = normalizeRelPath(value);
  if (!norm.ok) return { ok: false, template, problem: 'path_escapes_repository', detail: norm.problem };
  const abs = path.join(ctx.root, norm.path);
  const real = realpathLoose(abs);
  if (!isInside(realRoot(ctx.root), real)) return { ok: false, template, problem: 'path_escapes_repository', detail: 'symlink points outside the repository' };
  return { ok: true, template, rel: norm.path, abs };
}

export function isFile(abs: string): boolean {
  try {
    return fs.statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** An output's text, or null when it is not a readable regular file (a FIFO is never opened blocking). */
export function readIfFile(abs: string): string | null {
  try {
    return readStrictBytesOrNull(abs, abs)?.toString('utf8') ?? null;
  } catch {
    return null;
  }
}
