/** Visit the regular files under a directory (symlinks are not followed; unreadable dirs skipped). */
import fs from 'node:fs';
import path from 'node:path';

export function walkFiles(root: string, visit: (abs: string, rel: string) => void, opts: { recursive?: boolean } = {}): void {
  const recursive = opts.recursive !== false;
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isFile()) visit(abs, childRel);
      else if (e.isDirectory() && recursive) walk(abs, childRel);
    }
  };
  walk(root, '');
}
