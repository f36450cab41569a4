/**
 * Links from the page to files of the repository: relative to the directory of the HTML file, so
 * the page and the repository can move together (a CI artifact, a pull request attachment).
 * Paths that do not resolve inside the repository get no link.
 */
import path from 'node:path';
import { resolveTemplate } from '../gates/context.js';
import type { TemplateVars } from '../core/template.js';

export function relativeHref(fromDir: string, abs: string): string {
  const rel = path.relative(fromDir, abs).split(path.sep).join('/');
  return rel.split('/').map(encodeURIComponent).join('/');
}

/** A resolver for the recorded paths of one run (templates such as `essays/{slug}/x.md`). */
export function hrefResolver(root: string, vars: TemplateVars, fromDir: string): (recorded: string) => string | null {
  return (recorded) => {
    const r = resolveTemplate({ root, vars }, recorded);
    return r.ok ? relativeHref(fromDir, r.abs) : null;
  };
}
