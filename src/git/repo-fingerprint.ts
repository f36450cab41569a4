/**
 * What a worker must not touch, fingerprinted before and compared after every worker call and
 * verification round (docs/security.md):
 *   - files that configure or execute git: hooks directories (common, per-worktree and the one
 *     core.hooksPath names), config, config.worktree, info/, the worktree's `.git` file and its
 *     git dir's HEAD/commondir/gitdir, and the user's global git config — read from disk only,
 *     so the comparison itself runs no git command (a planted core.fsmonitor would run on `git
 *     status`); small files keep their bytes so a change can be put back;
 *   - every ref (`git for-each-ref`), except other runr runs' branches (parallel tracks move them)
 *     and remote-tracking refs (a `git fetch` by the user);
 *   - the main checkout's tracked and untracked state, when the run works in a worktree.
 * Content hashes, not mtimes: restoring an mtime must not hide an edit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { git } from './exec.js';
import { parseStatusZ } from './status.js';

const KEEP_BYTES = 1024 * 1024;

export interface FileEntry {
  abs: string;
  hash: string;
  /** Bytes and mode to put back (files under KEEP_BYTES that runr may restore). */
  keep: { bytes: Buffer; mode: number } | null;
  restorable: boolean;
}

export type FileFingerprint = Map<string, FileEntry>;

export interface FingerprintScope {
  commonDir: string;
  gitDir: string;
  workDir: string;
  /** The hooks directory in effect when the session started (core.hooksPath resolved, or <common>/hooks). */
  hooksDir: string;
  /** Repository root (for display names of files outside .git). */
  repoRoot: string;
}

function hashOf(abs: string, st: fs.Stats): { hash: string; bytes: Buffer | null } {
  if (st.isSymbolicLink()) return { hash: `link:${fs.readlinkSync(abs)}`, bytes: null };
  if (st.isDirectory()) return { hash: 'dir', bytes: null };
  if (!st.isFile()) return { hash: `special:${st.mode.toString(8)}`, bytes: null };
  const bytes = fs.readFileSync(abs);
  return { hash: `${st.mode.toString(8)}:${createHash('sha256').update(bytes).digest('hex')}`, bytes };
}

function addFile(out: FileFingerprint, abs: string, shown: string, restorable: boolean): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch {
    return; // absent: absence is part of the fingerprint
  }
  // git never runs `*.sample` hooks: their size is enough (activating one means a new name).
  if (st.isFile() && abs.endsWith('.sample')) {
    out.set(shown, { abs, hash: `sample:${st.size}`, keep: null, restorable: false });
    return;
  }
  const { hash, bytes } = hashOf(abs, st);
  const keep = restorable && bytes !== null && bytes.length <= KEEP_BYTES ? { bytes, mode: st.mode & 0o7777 } : null;
  out.set(shown, { abs, hash, keep, restorable });
}

/** Written by `git update-server-info` (any gc or repack, the user's too); they configure and run nothing. */
const GENERATED_INFO = new Set(['refs', 'packs']);

function walk(out: FileFingerprint, dir: string, shown: string, restorable: boolean, depth = 0): void {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    const abs = path.join(dir, d.name);
    if (d.isDirectory() && depth < 4) walk(out, abs, `${shown}/${d.name}`, restorable, depth + 1);
    else if (depth === 0 && shown.endsWith('/info') && GENERATED_INFO.has(d.name)) continue;
    else addFile(out, abs, `${shown}/${d.name}`, restorable);
  }
}

export function displayPath(repoRoot: string, commonDir: string, abs: string): string {
  const inCommon = path.relative(commonDir, abs);
  if (!inCommon.startsWith('..') && !path.isAbsolute(inCommon)) return ['.git', ...inCommon.split(path.sep)].filter((s) => s !== '').join('/');
  const inRepo = path.relative(repoRoot, abs);
  if (!inRepo.startsWith('..') && !path.isAbsolute(inRepo)) return inRepo.split(path.sep).join('/');
  const home = os.homedir();
  return abs.startsWith(home + path.sep) ? `~/${path.relative(home, abs).split(path.sep).join('/')}` : abs;
}

function globalConfigFiles(): string[] {
  const home = os.homedir();
  const xdg = process.env.XDG_CONFIG_HOME !== undefined && process.env.XDG_CONFIG_HOME !== '' ? process.env.XDG_CONFIG_HOME : path.join(home, '.config');
  const files = [path.join(home, '.gitconfig'), path.join(xdg, 'git', 'config'), path.join(xdg, 'git', 'attributes')];
  if (process.env.GIT_CONFIG_GLOBAL !== undefined && process.env.GIT_CONFIG_GLOBAL !== '') files.push(process.env.GIT_CONFIG_GLOBAL);
  return files;
}

/** Files only (no git command): safe to run right after a worker, before anything else. */
export function fingerprintFiles(s: FingerprintScope): FileFingerprint {
  const out: FileFingerprint = new Map();
  const show = (abs: string) => displayPath(s.repoRoot, s.commonDir, abs);
  walk(out, path.join(s.commonDir, 'hooks'), '.git/hooks', true);
  walk(out, path.join(s.commonDir, 'info'), '.git/info', true);
  for (const f of ['config', 'config.worktree', 'HEAD', 'commondir']) addFile(out, path.join(s.commonDir, f), `.git/${f}`, f !== 'HEAD');
  if (path.resolve(s.hooksDir) !== path.resolve(s.commonDir, 'hooks')) walk(out, s.hooksDir, show(s.hooksDir), false);
  if (path.resolve(s.gitDir) !== path.resolve(s.commonDir)) {
    const g = show(s.gitDir);
    walk(out, path.join(s.gitDir, 'hooks'), `${g}/hooks`, true);
    walk(out, path.join(s.gitDir, 'info'), `${g}/info`, true);
    for (const f of ['config', 'config.worktree', 'commondir', 'gitdir', 'HEAD']) addFile(out, path.join(s.gitDir, f), `${g}/${f}`, f !== 'HEAD');
    // In a linked worktree `.git` is a file naming the git dir; repointing (or replacing) it is a change.
    addFile(out, path.join(s.workDir, '.git'), '.git', true);
  }
  for (const f of globalConfigFiles()) addFile(out, f, show(f), false);
  return out;
}

/** Names whose fingerprint differs (added, removed or changed), sorted. */
export function diffFiles(before: FileFingerprint, after: FileFingerprint): string[] {
  const out = new Set<string>();
  for (const [k, v] of before) if (after.get(k)?.hash !== v.hash) out.add(k);
  for (const k of after.keys()) if (!before.has(k)) out.add(k);
  return [...out].sort();
}

export type RefFingerprint = Map<string, string>;

/** Every ref and its target, minus other runr runs' branches and remote-tracking refs. */
export async function fingerprintRefs(repoRoot: string, ownBranch: string, ignore: readonly string[] = []): Promise<RefFingerprint> {
  const r = await git(['for-each-ref', '--format=%(refname)%00%(objectname)'], { cwd: repoRoot, allowFail: true });
  const out: RefFingerprint = new Map();
  if (r.code !== 0) return out;
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const [ref, sha] = line.split('\0');
    if (ref === undefined || sha === undefined || ref === '') continue;
    if (ref.startsWith('refs/remotes/') || ignore.includes(ref)) continue;
    if (ref.startsWith('refs/heads/runr/') && ref !== `refs/heads/${ownBranch}`) continue;
    out.set(ref, sha);
  }
  return out;
}

export type MainFingerprint = Map<string, string>;

/**
 * The main checkout's changed and untracked files with their content hashes (minus runr's own
 * paths). Two git calls, run together: tracked changes over `.` minus the own paths (git skips
 * excluded index entries), and untracked files over the directory entries that are not own paths
 * (an exclude pathspec does not stop git from walking an excluded directory for untracked files:
 * a runs directory of 10,000 runs cost 0.7 s of CPU per call). Renames are off, so the two lists
 * together are exactly what one `git status -- . :(exclude)own…` lists. That one call is what
 * `oneCall` asks for, when the own paths hold so little that walking them costs nothing
 * (`ownPathsSmall`): one git process instead of two.
 */
export async function fingerprintMain(repoRoot: string, ownPaths: readonly string[], oneCall = false): Promise<MainFingerprint> {
  const base = ['status', '--porcelain=v1', '-z', '--no-renames', '--ignore-submodules=none'];
  const roots = ownPaths.length === 0 || oneCall ? null : untrackedRoots(repoRoot, ownPaths);
  const excluded = ownPaths.length === 0 ? [] : ['--', '.', ...ownPaths.map((e) => `:(exclude,top)${e}`)];
  const calls =
    roots === null
      ? [git([...base, '--untracked-files=all', ...excluded], { cwd: repoRoot, allowFail: true })]
      : [
          git([...base, '--untracked-files=no', '--', '.', ...ownPaths.map((e) => `:(exclude,top)${e}`)], { cwd: repoRoot, allowFail: true }),
          ...(roots.length === 0 ? [] : [git([...base, '--untracked-files=all', '--', ...roots.map((e) => `:(top,literal)${e}`)], { cwd: repoRoot, allowFail: true })]),
        ];
  const results = await Promise.all(calls);
  const out: MainFingerprint = new Map();
  const failed = results.find((r) => r.code !== 0);
  if (failed !== undefined) {
    out.set('(git status)', `failed: ${failed.stderr.trim()}`);
    return out;
  }
  for (const e of results.flatMap((r) => parseStatusZ(r.stdout))) {
    const abs = path.join(repoRoot, e.path);
    let hash = 'absent';
    try {
      hash = hashOf(abs, fs.lstatSync(abs)).hash;
    } catch {
      // deleted
    }
    out.set(e.path, `${e.xy}:${hash}`);
  }
  return out;
}

/**
 * Whether runr's own paths hold at most `limit` entries together (their top level only, read with
 * no more than `limit + 1` directory entries each): then git's walk of them for untracked files is
 * as cheap as the second call it saves.
 */
export function ownPathsSmall(repoRoot: string, ownPaths: readonly string[], limit = 64): boolean {
  let n = 0;
  for (const own of ownPaths) {
    let dir: fs.Dir;
    try {
      dir = fs.opendirSync(path.join(repoRoot, own));
    } catch {
      continue; // absent (or not a directory): nothing to walk
    }
    try {
      while (dir.readSync() !== null) if (++n > limit) return false;
    } finally {
      dir.closeSync();
    }
  }
  return true;
}

/**
 * Repository-relative directory entries that together hold every path except the `own` ones (and
 * `.git`): the root's entries, descending only into directories that contain an own path. Null when
 * a name on the way does not survive as a string (not UTF-8): the caller then asks git for all.
 */
export function untrackedRoots(repoRoot: string, own: readonly string[]): string[] | null {
  const owned = new Set(own.map((p) => p.replace(/^\/+|\/+$/g, '')));
  const out: string[] = [];
  const visit = (rel: string): boolean => {
    let raw: Buffer[];
    try {
      raw = fs.readdirSync(rel === '' ? repoRoot : path.join(repoRoot, rel), { encoding: 'buffer' });
    } catch {
      return true;
    }
    for (const b of raw) {
      const name = b.toString('utf8');
      if (!Buffer.from(name, 'utf8').equals(b)) return false;
      const p = rel === '' ? name : `${rel}/${name}`;
      if (p === '.git' || owned.has(p)) continue;
      if ([...owned].some((o) => o.startsWith(`${p}/`))) {
        if (!visit(p)) return false;
      } else out.push(p);
    }
    return true;
  };
  return visit('') ? out.sort() : null;
}

export function diffMaps(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Array<{ name: string; before: string | null; after: string | null }> {
  const names = new Set([...before.keys(), ...after.keys()]);
  const out: Array<{ name: string; before: string | null; after: string | null }> = [];
  for (const n of [...names].sort()) {
    const b = before.get(n) ?? null;
    const a = after.get(n) ?? null;
    if (a !== b) out.push({ name: n, before: b, after: a });
  }
  return out;
}

/** The hooks directory git would use in `workDir` (core.hooksPath resolved, else <common>/hooks). */
export async function effectiveHooksDir(workDir: string, commonDir: string): Promise<string> {
  // runr pins core.hooksPath on its own command line (pins.ts): skip that origin, take the last other.
  const r = await git(['config', '--show-origin', '--get-all', 'core.hooksPath'], { cwd: workDir, allowFail: true });
  const values = r.stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('command line:'))
    .map((l) => l.slice(l.indexOf('\t') + 1));
  const v = values[values.length - 1] ?? '';
  if (r.code !== 0 || v === '') return path.join(commonDir, 'hooks');
  if (v === '~' || v.startsWith('~/')) return path.join(os.homedir(), v.slice(1));
  return path.resolve(workDir, v);
}
