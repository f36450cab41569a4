/** What validators get: where the repository is, template variables, and a contained resolver. */
import fs from 'node:fs';
import path from 'node:path';
import type { TemplateVars } from '../core/template.js';
import { normalizeRelPath, substitute } from '../core/template.js';

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

/** Realpath of `abs`, or of its nearest existing ancestor joined with the rest. */
function realpathLoose(abs: string): string {
  let cur = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
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

export function readIfFile(abs: string): string | null {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
}
