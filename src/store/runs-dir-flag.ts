/**
 * `--runs-dir <dir>` (issue 9): a relative path that leaves the repository (`../outside`, or a
 * symlink inside it that resolves outside) is refused; runs outside the repository are allowed
 * only when the path is given as an absolute path, on purpose (docs/security.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { realpathLoose } from './realpath-loose.js';

const inside = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
};

export function resolveRunsDirFlag(cwd: string, root: string | null, flag: string): string {
  if (flag.includes('\0')) throw new UserError(`--runs-dir: the path contains a NUL character (at offset ${flag.indexOf('\0')})`);
  const abs = path.resolve(cwd, flag);
  if (path.isAbsolute(flag) || root === null) return abs;
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // keep root
  }
  if (!inside(root, abs) || !inside(realRoot, realpathLoose(abs))) {
    throw new UserError(`--runs-dir: ${JSON.stringify(flag)} leaves the repository; to keep runs outside it on purpose, give an absolute path`);
  }
  return abs;
}
