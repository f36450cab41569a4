/** sha256 of a dep or out: a file's bytes; a directory's sorted listing of (path, sha256); null when missing. */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sha256FileSync } from '../store/hash.js';

export function hashPath(abs: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return null;
  }
  if (st.isFile()) return sha256FileSync(abs);
  if (!st.isDirectory()) return null;
  const h = createHash('sha256');
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.startsWith('.runr') || name.endsWith('.tmp')) continue;
      const a = path.join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const s = fs.statSync(a);
      if (s.isDirectory()) walk(a, r);
      else if (s.isFile()) h.update(`${r}\0${sha256FileSync(a)}\n`);
    }
  };
  walk(abs, '');
  return h.digest('hex');
}
