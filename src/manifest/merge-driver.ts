/**
 * The git merge driver for `runs_manifest.json`: git calls `runr manifest merge %O %A %B` (ancestor,
 * ours, theirs: temp files) and expects the result in %A, exit 0 when merged. Task runs made on
 * different branches each add entries; with this driver `git merge` of those branches never
 * conflicts on the manifest. An unreadable side is an error (git then leaves its usual conflict).
 */
import fs from 'node:fs';
import { UserError } from '../core/errors.js';
import type { Manifest } from '../core/manifest/manifest.js';
import { emptyManifest } from '../core/manifest/manifest.js';
import { mergeManifests } from '../core/manifest/merge3.js';
import { serializeManifest } from '../core/manifest/serialize.js';
import { writeFileAtomicSync } from '../store/atomic.js';
import { parseManifestText } from './parse.js';

function read(file: string, label: string, allowEmpty: boolean): Manifest | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && allowEmpty) return null;
    throw new UserError(`${label} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (text.trim() === '') return allowEmpty ? null : emptyManifest();
  const r = parseManifestText(text);
  if (!r.ok) throw new UserError(`${label} ${file}: ${r.problem}`);
  return r.manifest;
}

export function mergeManifestFiles(base: string, ours: string, theirs: string): { runs: number } {
  const o = read(base, 'ancestor', true);
  const a = read(ours, 'ours', true) ?? emptyManifest();
  const b = read(theirs, 'theirs', true) ?? emptyManifest();
  const merged = mergeManifests(o, a, b);
  writeFileAtomicSync(ours, serializeManifest(merged));
  return { runs: merged.runs.length };
}
