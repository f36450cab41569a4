/**
 * Rebuild the manifest from the run directories, under the manifest lock, and write it. Also the
 * recovery path for a corrupt manifest: the bad file is moved aside (never silently emptied, a
 * defect of the original) and the records are indexed again.
 */
import fs from 'node:fs';
import { UserError } from '../core/errors.js';
import type { Manifest } from '../core/manifest/manifest.js';
import { buildManifest, MANIFEST_FILE } from '../core/manifest/manifest.js';
import { serializeManifest } from '../core/manifest/serialize.js';
import type { Layout, LayoutChoice, ScanProblem } from './adapters/layouts.js';
import { scanLayouts } from './adapters/scan-layouts.js';
import { pidAlive } from '../store/lock.js';
import { withManifestLock, writeManifestText } from './io.js';
import type { ManifestOptions, ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';
import { corruptAsideFile, displayPath, manifestFile } from './paths.js';
import { clearWal } from './wal.js';

export interface RebuildOptions extends ManifestOptions {
  /** Which layouts to index (default `auto`: every layout found). */
  layout?: LayoutChoice;
  /** Told after each run record read: `done` of `total` (the CLI draws it on a terminal). */
  progress?: (done: number, total: number) => void;
}

export interface RebuildResult {
  /** Absolute path of the manifest written. */
  file: string;
  manifest: Manifest;
  /** Layouts in which runs were found. */
  layouts: Layout[];
  /** Files or runs that could not be read: reported and skipped, never fatal. */
  problems: ScanProblem[];
}

const TEMP_RE = new RegExp(`^\\.${MANIFEST_FILE.replace(/\./g, '\\.')}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);

/** Temp files of writers that were killed mid-write (their pid is gone). */
function removeDeadTemps(runsDir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(runsDir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = TEMP_RE.exec(n);
    if (m !== null && !pidAlive(Number(m[1]))) fs.rmSync(`${runsDir}/${n}`, { force: true });
  }
}

export function rebuildLocked(o: ResolvedOptions, layout: LayoutChoice, progress?: (done: number, total: number) => void): RebuildResult {
  const scan = scanLayouts(o.runsDir, layout, progress);
  const manifest = buildManifest(scan.entries, o.now().toISOString());
  const file = manifestFile(o.runsDir);
  writeManifestText(file, serializeManifest(manifest), o);
  // A killed writer's patch log is void now: the file was made from the records.
  clearWal(o.runsDir);
  removeDeadTemps(o.runsDir);
  return { file, manifest, layouts: scan.layouts, problems: scan.problems };
}

export async function rebuildManifest(opts: RebuildOptions = {}): Promise<RebuildResult> {
  const o = await resolveOptions(opts);
  if (!fs.existsSync(o.runsDir)) throw new UserError(`--dir: ${displayPath(o.runsDir)}: no such directory`);
  if (!fs.statSync(o.runsDir).isDirectory()) throw new UserError(`--dir: ${displayPath(o.runsDir)}: not a directory`);
  return withManifestLock(o, () => rebuildLocked(o, opts.layout ?? 'auto', opts.progress));
}

/** Call with the lock held: move the corrupt file aside, say so, and rebuild from the records. */
export function recoverLocked(o: ResolvedOptions, problem: string): Manifest {
  const file = manifestFile(o.runsDir);
  let aside = corruptAsideFile(o.runsDir, o.now());
  for (let i = 1; fs.existsSync(aside); i++) aside = `${corruptAsideFile(o.runsDir, o.now())}-${i}`;
  fs.renameSync(file, aside);
  o.warn(`${displayPath(file)} is not a valid manifest (${problem}); moved it to ${displayPath(aside)} and rebuilt it from the run records`);
  const r = rebuildLocked(o, 'auto');
  for (const p of r.problems) o.warn(`${displayPath(p.path)}: skipped: ${p.message}`);
  return r.manifest;
}
