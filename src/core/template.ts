/**
 * Path templates: `{slug}`, `{artifact_path}`, `{run_id}`, `{depth}` and run params, replaced
 * globally (like the original). The result must be a repository-relative path that stays inside
 * the repository; symlink containment is checked by the caller (src/gates/resolve.ts).
 */
export type TemplateVars = Record<string, string>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

export function substitute(template: string, vars: TemplateVars): { value: string; unknown: string[] } {
  const unknown: string[] = [];
  const value = template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined) {
      unknown.push(name);
      return whole;
    }
    return v;
  });
  return { value, unknown };
}

export type PathProblem = 'absolute' | 'parent_escape' | 'empty' | 'nul';

/** Normalize a repository-relative path (forward slashes) or say why it is not one. */
export function normalizeRelPath(p: string): { ok: true; path: string } | { ok: false; problem: PathProblem } {
  if (p.includes('\0')) return { ok: false, problem: 'nul' };
  const s = p.replace(/\\/g, '/');
  if (s.trim() === '') return { ok: false, problem: 'empty' };
  if (s.startsWith('/') || /^[A-Za-z]:\//.test(s) || s.startsWith('~')) return { ok: false, problem: 'absolute' };
  const out: string[] = [];
  for (const part of s.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return { ok: false, problem: 'parent_escape' };
      out.pop();
      continue;
    }
    out.push(part);
  }
  return { ok: true, path: out.length === 0 ? '.' : out.join('/') };
}

/** A template is statically unsafe when it is absolute, contains a `..` segment or a NUL. */
export function templateIsUnsafe(template: string): PathProblem | null {
  if (template.includes('\0')) return 'nul';
  const s = template.replace(/\\/g, '/');
  if (s.startsWith('/') || /^[A-Za-z]:\//.test(s) || s.startsWith('~')) return 'absolute';
  if (s.split('/').includes('..')) return 'parent_escape';
  return null;
}

/** Why a path is refused; `template` adds where a NUL is (its byte offset in UTF-8). */
export function describePathProblem(p: PathProblem, template?: string): string {
  if (p === 'nul' && template !== undefined) return `path contains a NUL byte at offset ${new TextEncoder().encode(template.slice(0, template.indexOf('\0'))).length}`;
  switch (p) {
    case 'absolute':
      return 'absolute paths are not allowed (paths are relative to the repository root)';
    case 'parent_escape':
      return "path escapes the repository ('..')";
    case 'empty':
      return 'path is empty';
    case 'nul':
      return 'path contains a NUL byte';
  }
}
