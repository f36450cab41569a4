/**
 * The stall detector's second sign of life (issue 8, "Stalls"): a worker that prints nothing may
 * still be working, writing files in the worktree. `latestFileChange` is the newest mtime of the
 * files and directories under the work directory (a directory's mtime moves when an entry is
 * created, renamed or deleted), skipping `.git`, `node_modules` and the paths runr itself writes
 * while the worker runs (the run's logs and lock heartbeat live in the runs directory).
 *
 * It is only consulted once the worker has been silent for the whole stall window, so an agent
 * that streams output never pays for the walk; the walk is capped at `maxEntries` entries (a huge
 * tree counts as "no change seen" past the cap rather than blocking the supervisor).
 */
import fs from 'node:fs';
import path from 'node:path';

const SKIP_NAMES = new Set(['.git', 'node_modules']);
export const MAX_ENTRIES = 50_000;

/** Newest mtime (epoch ms) under `root`; `skip`: root-relative paths (posix) not to look into. */
export function latestFileChange(root: string, skip: readonly string[] = [], maxEntries = MAX_ENTRIES): number {
  const skipAbs = new Set(skip.map((p) => path.join(root, p)));
  let newest = 0;
  let seen = 0;
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (seen >= maxEntries) return;
      seen += 1;
      if (SKIP_NAMES.has(e.name)) continue;
      const abs = path.join(dir, e.name);
      if (skipAbs.has(abs)) continue;
      try {
        const st = fs.lstatSync(abs);
        if (st.mtimeMs > newest) newest = st.mtimeMs;
      } catch {
        continue; // gone between readdir and lstat: the directory's mtime says so
      }
      if (e.isDirectory()) walk(abs);
    }
  };
  try {
    newest = fs.lstatSync(root).mtimeMs;
  } catch {
    return 0;
  }
  walk(root);
  return newest;
}
