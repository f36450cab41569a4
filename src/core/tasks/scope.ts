/**
 * Scope rules over repository-relative paths (pure; the file listing and the symlink / .git checks
 * are in src/tasks/scope-guard.ts). Order: denylist, then lockfiles (need `--allow-deps`), then the
 * allowlist (its own patterns plus the presets'); an empty allowlist with no presets allows
 * everything that is not denied.
 */
import picomatch from 'picomatch';
import type { ScopeConfig } from './config.js';
import { SCOPE_PRESETS } from './presets.js';
import type { Violation } from './state.js';

export interface ScopeMatcher {
  check(path: string): Violation | null;
  allowlist: readonly string[];
}

const GLOB_CHARS = /[*?[\]{}!]/;

export function effectiveAllowlist(scope: ScopeConfig): string[] {
  const out = [...scope.allowlist];
  for (const p of scope.presets) for (const g of SCOPE_PRESETS[p]) if (!out.includes(g)) out.push(g);
  return out;
}

export function makeScopeMatcher(scope: ScopeConfig, opts: { allowDeps: boolean }): ScopeMatcher {
  const pm = (globs: readonly string[]) => (globs.length === 0 ? () => false : picomatch(globs as string[], { dot: true }));
  const denied = pm(scope.denylist);
  const allowlist = effectiveAllowlist(scope);
  const allowed = pm(allowlist);
  const lockNames = new Set(scope.lockfiles.filter((l) => !l.includes('/') && !GLOB_CHARS.test(l)));
  const lockGlobs = pm(scope.lockfiles.filter((l) => l.includes('/') || GLOB_CHARS.test(l)));
  const isLockfile = (p: string) => lockNames.has(p.slice(p.lastIndexOf('/') + 1)) || lockGlobs(p);
  return {
    allowlist,
    check(path: string): Violation | null {
      if (denied(path)) return { path, rule: 'denylist' };
      if (isLockfile(path)) return opts.allowDeps ? null : { path, rule: 'lockfile', detail: 'dependency changes require --allow-deps' };
      if (allowlist.length > 0 && !allowed(path)) return { path, rule: 'allowlist' };
      return null;
    },
  };
}

export function checkPaths(paths: readonly string[], matcher: ScopeMatcher): Violation[] {
  const out: Violation[] = [];
  for (const p of paths) {
    const v = matcher.check(p);
    if (v !== null) out.push(v);
  }
  return out;
}

/** Plan check: files a milestone expects to change must be in scope (globs in the plan are skipped). */
export function planScopeViolations(files: readonly string[], matcher: ScopeMatcher): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    const p = f.replace(/^\.\//, '');
    if (p === '' || GLOB_CHARS.test(p)) continue;
    if (p.startsWith('/') || p.split('/').includes('..')) {
      out.push({ path: f, rule: 'plan_scope', detail: 'outside the repository' });
      continue;
    }
    const v = matcher.check(p);
    if (v !== null && v.rule !== 'lockfile') out.push({ path: p, rule: 'plan_scope', detail: v.rule });
  }
  return out;
}
