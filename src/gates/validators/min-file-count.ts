import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { ValidationOf } from '../../core/schemas/contract.js';
import { resolveTemplate } from '../context.js';
import type { Validator } from './common.js';
import { desc, unresolved, withSeverity } from './common.js';

/** Count regular files in a directory (optionally recursive, optionally matching a glob on the
 * path relative to that directory). Symlinks are not followed. A missing directory counts 0. */
export const minFileCount: Validator<ValidationOf<'min_file_count'>> = (spec, ctx) => {
  const r = resolveTemplate(ctx, spec.target);
  if (!r.ok) return unresolved(spec.type, r, spec.description);
  const match = spec.pattern !== undefined ? picomatch(spec.pattern, { dot: true }) : () => true;
  let count = 0;
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isFile() && match(childRel)) count += 1;
      else if (e.isDirectory() && spec.recursive === true) walk(path.join(dir, e.name), childRel);
    }
  };
  walk(r.abs, '');
  return withSeverity(
    { type: spec.type, path: spec.target, count, min: spec.min, ...(spec.pattern !== undefined ? { pattern: spec.pattern } : {}), pass: count >= spec.min, ...desc(spec.description) },
    spec.severity,
  );
};
