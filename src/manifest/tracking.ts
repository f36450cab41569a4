/**
 * Selective tracking check (for `runr doctor`): per run, how many bytes git would commit (tracked
 * or untracked-but-not-ignored) and how many it ignores, with warnings when a record outgrows its
 * budget or a large file is about to be committed. Uses `git ls-files` with NUL-separated output
 * (argv arrays, no shell), so any file name is handled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE } from '../core/manifest/manifest.js';
import { gitSyncText } from '../git/exec.js';

export interface RunTracking {
  run_id: string;
  /** Run directory relative to the runs directory. */
  path: string;
  /** Bytes git would commit: tracked files plus untracked files that are not ignored. */
  tracked_bytes: number;
  ignored_bytes: number;
  warnings: string[];
}

export interface TrackingReport {
  /** False when the runs directory is not inside a git work tree (nothing else is checked). */
  git: boolean;
  manifest: 'tracked' | 'untracked' | 'ignored' | 'missing';
  runs: RunTracking[];
  /** Warnings not tied to one run. */
  warnings: string[];
}

export interface TrackingOptions {
  /** A record larger than this is reported (default 20 KB, DESIGN §3). */
  recordLimitBytes?: number;
  /** A committable file larger than this is reported (default 1 MiB). */
  largeFileBytes?: number;
}

function git(cwd: string, args: string[]): { ok: boolean; stdout: string } {
  return gitSyncText(args, { cwd });
}

function nulList(s: string): string[] {
  return s.split('\0').filter((x) => x !== '');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

function sizeOf(file: string): number | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** Which run a runs-dir-relative path belongs to: `<run>/…` (runr) or `<framework>/<run>/…` (dev-benchmark). */
function runKey(runsDir: string, segs: string[], cache: Map<string, boolean>): string | null {
  const [a, b] = segs;
  if (a === undefined || segs.length < 2) return null;
  let isRecordRun = cache.get(a);
  if (isRecordRun === undefined) {
    isRecordRun = fs.existsSync(path.join(runsDir, a, 'record')) || a.startsWith('run_');
    cache.set(a, isRecordRun);
  }
  if (isRecordRun) return a;
  return b !== undefined && segs.length >= 3 ? `${a}/${b}` : null;
}

export function checkRunTracking(runsDir: string, opts: TrackingOptions = {}): TrackingReport {
  const recordLimit = opts.recordLimitBytes ?? 20 * 1024;
  const largeFile = opts.largeFileBytes ?? 1024 * 1024;
  const report: TrackingReport = { git: false, manifest: 'missing', runs: [], warnings: [] };
  if (!fs.existsSync(runsDir)) return report;
  const top = git(runsDir, ['rev-parse', '--show-toplevel']);
  if (!top.ok) {
    report.warnings.push('not inside a git repository: tracking not checked');
    return report;
  }
  report.git = true;
  const root = top.stdout.trim();
  const rel = path.relative(root, fs.realpathSync(runsDir)).split(path.sep).join('/') || '.';
  const committable = nulList(git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', rel]).stdout);
  const ignored = nulList(git(root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--', rel]).stdout);
  const tracked = new Set(nulList(git(root, ['ls-files', '-z', '--cached', '--', `${rel}/${MANIFEST_FILE}`]).stdout));

  const runs = new Map<string, RunTracking & { record_bytes: number; log_files: number; log_bytes: number }>();
  const dirCache = new Map<string, boolean>();
  const strip = rel === '.' ? 0 : rel.length + 1;
  const visit = (file: string, isIgnored: boolean) => {
    const within = file.slice(strip);
    const segs = within.split('/');
    const key = runKey(runsDir, segs, dirCache);
    if (key === null) return;
    const size = sizeOf(path.join(root, file));
    if (size === null) return;
    let r = runs.get(key);
    if (r === undefined) {
      r = { run_id: key.split('/').pop() as string, path: key, tracked_bytes: 0, ignored_bytes: 0, warnings: [], record_bytes: 0, log_files: 0, log_bytes: 0 };
      runs.set(key, r);
    }
    if (isIgnored) {
      r.ignored_bytes += size;
      return;
    }
    r.tracked_bytes += size;
    const inRun = within.slice(key.length + 1);
    if (inRun.startsWith('record/')) r.record_bytes += size;
    if (inRun.startsWith('logs/')) {
      r.log_files++;
      r.log_bytes += size;
    }
    if (size > largeFile) r.warnings.push(`${inRun} (${formatBytes(size)}) would be committed: ignore it or move it under logs/`);
  };
  for (const f of committable) visit(f, false);
  for (const f of ignored) visit(f, true);

  for (const r of runs.values()) {
    if (r.record_bytes > recordLimit) r.warnings.unshift(`record/ is ${formatBytes(r.record_bytes)} (budget ${formatBytes(recordLimit)}): large outputs belong in logs/`);
    if (r.log_files > 0) r.warnings.push(`logs/ is not ignored (${r.log_files} files, ${formatBytes(r.log_bytes)} would be committed): add the ignore rules (runr init)`);
    const { record_bytes: _rb, log_files: _lf, log_bytes: _lb, ...pub } = r;
    report.runs.push(pub);
  }
  report.runs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const manifestRel = rel === '.' ? MANIFEST_FILE : `${rel}/${MANIFEST_FILE}`;
  if (tracked.has(manifestRel)) report.manifest = 'tracked';
  else if (!fs.existsSync(path.join(runsDir, MANIFEST_FILE))) report.manifest = 'missing';
  else if (git(root, ['check-ignore', '-q', '--', manifestRel]).ok) {
    report.manifest = 'ignored';
    report.warnings.push(`${manifestRel} is ignored by git; the manifest should be tracked`);
  } else report.manifest = 'untracked';
  return report;
}
