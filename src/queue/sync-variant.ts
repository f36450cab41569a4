/**
 * What `queue sync` brings home for a batch variant besides its record: the variant's directory
 * (`inputs/`, `results/`, `.runr-run`) as the worker's run left it, and the variant's rows of the
 * worker's `registry/runs.csv`, appended to the local registry when it does not hold them yet. Then
 * the batch's files, its registry and `batch report` are as if the variant had run here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { VariantJobSpec } from '../core/queue/payload.js';
import { variantPaths } from '../core/queue/payload.js';
import { StudyLayout, openStudies } from '../studies/layout.js';
import { appendMissingRows, variantRowsOf } from '../studies/registry.js';
import type { TreeWant } from './git-trees.js';

/** The trees to read for a variant run: its directory and its registry directory. */
export function variantWants(runId: string, sha: string, spec: VariantJobSpec): TreeWant[] {
  const p = variantPaths(spec);
  return [
    { key: `${runId}\0variant`, sha, dir: p.variant_dir },
    { key: `${runId}\0registry`, sha, dir: path.posix.dirname(p.registry_csv) },
  ];
}

/** Write `files` (repository-relative path → content) under `root` where they differ; true when any did. */
export function writeFiles(root: string, files: ReadonlyMap<string, Buffer>): boolean {
  let changed = false;
  for (const [name, data] of files) {
    const abs = path.join(root, name);
    const cur = fs.existsSync(abs) ? fs.readFileSync(abs) : null;
    if (cur !== null && cur.equals(data)) continue;
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(`${abs}.${process.pid}.sync-tmp`, data);
    fs.renameSync(`${abs}.${process.pid}.sync-tmp`, abs);
    changed = true;
  }
  return changed;
}

/** Bring a variant's files and registry rows home; true when anything changed here. */
export async function syncVariant(root: string, runId: string, spec: VariantJobSpec, trees: ReadonlyMap<string, Map<string, Buffer> | null>): Promise<boolean> {
  const p = variantPaths(spec);
  const files = trees.get(`${runId}\0variant`) ?? null;
  if (files === null || files.size === 0) throw new Error(`the run branch has no ${p.variant_dir}`);
  const csv = trees.get(`${runId}\0registry`)?.get(p.registry_csv);
  if (csv === undefined) throw new Error(`the run branch has no ${p.registry_csv}`);
  const layout = new StudyLayout(openStudies(root, { studiesDir: spec.studies_dir }), spec.study);
  layout.requireExists();
  const rows = variantRowsOf(new TextDecoder('utf-8', { fatal: true }).decode(csv), `${p.registry_csv} of runr/${runId}`, spec.batch_id, spec.variant_id);
  const changed = writeFiles(root, files);
  const appended = await appendMissingRows(layout, rows);
  return changed || appended > 0;
}
