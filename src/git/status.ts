/**
 * `git status --porcelain=v1 -z`: entries are `XY<space>path\0`, and for renames and copies the
 * original path follows as its own `\0`-terminated field. Paths are raw (no quoting with -z), so
 * names with newlines, quotes or non-ASCII bytes come through exactly.
 */
import { git } from './exec.js';

export interface StatusEntry {
  /** Two status letters (index, worktree), e.g. ` M`, `??`, `R `. */
  xy: string;
  path: string;
  /** For renames/copies: the path it came from. */
  orig: string | null;
}

export function parseStatusZ(buf: Buffer): StatusEntry[] {
  const fields = buf.toString('utf8').split('\0');
  const out: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] ?? '';
    if (f.length < 4) continue;
    const xy = f.slice(0, 2);
    const path = f.slice(3);
    let orig: string | null = null;
    if (xy[0] === 'R' || xy[0] === 'C' || xy[1] === 'R' || xy[1] === 'C') {
      orig = fields[i + 1] ?? null;
      i += 1;
    }
    out.push({ xy, path, orig });
  }
  return out;
}

/** Every path touched: both sides of a rename, untracked files one by one. */
export function changedPaths(entries: readonly StatusEntry[]): string[] {
  const set = new Set<string>();
  for (const e of entries) {
    set.add(e.path);
    if (e.orig !== null) set.add(e.orig);
  }
  return [...set].sort();
}

/** Changed and untracked files under `cwd`, minus `excludes` (repository-relative directories). */
export async function status(cwd: string, excludes: readonly string[] = []): Promise<StatusEntry[]> {
  const pathspec = excludes.length === 0 ? [] : ['--', '.', ...excludes.map((e) => `:(exclude,top)${e}`)];
  const r = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--renames', ...pathspec], { cwd });
  return parseStatusZ(r.stdout);
}
