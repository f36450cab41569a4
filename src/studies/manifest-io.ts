/** Read and write `batches/<batch_id>/manifest.yaml` (validated; bad input names file and field). */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, ValidationError } from '../core/errors.js';
import type { BatchManifest } from '../core/studies/manifest.js';
import { BatchManifestSchema, manifestForYaml } from '../core/studies/manifest.js';
import { normalizeRelPath } from '../core/template.js';
import { parseWithSchema } from '../store/read-json.js';
import type { StudyLayout } from './layout.js';
import { parseYamlText, readStrictText, stringifyYaml } from './text.js';

export async function readManifest(layout: StudyLayout, batch: string): Promise<BatchManifest> {
  const file = layout.manifestFile(batch);
  const display = layout.display(file);
  if (!fs.existsSync(file)) throw new UserError(`batch not found: ${display} does not exist (create it with: runr batch new ${layout.study} --intent ...)`);
  const raw = await parseYamlText(readStrictText(file, display), display);
  const m = parseWithSchema(BatchManifestSchema, raw, display);
  if (m.study !== layout.study) throw new ValidationError(display, 'study', `is ${m.study}, but the file is in study ${layout.study}`);
  if (m.batch_id !== batch) throw new ValidationError(display, 'batch_id', `is ${m.batch_id}, but the file is in batch ${batch}`);
  for (const [k, p] of Object.entries(m.base_paths)) {
    const n = normalizeRelPath(p);
    if (!n.ok || !layout.contains(n.path)) throw new ValidationError(display, `base_paths.${k}`, `${p} is not inside the study directory ${layout.rel}/`);
    m.base_paths[k] = n.path;
  }
  return m;
}

/** Write a new manifest; the batch directory must not exist yet (an old batch is never overwritten). */
export async function writeNewManifest(layout: StudyLayout, m: BatchManifest): Promise<string> {
  const dir = layout.batchDir(m.batch_id);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`batch ${m.batch_id} already exists (${layout.display(dir)})`);
    throw err;
  }
  const file = layout.manifestFile(m.batch_id);
  // created_at quoted, as in the document's example: YAML 1.1 readers would turn it into a date.
  const text = (await stringifyYaml(manifestForYaml(m))).replace(/^created_at: (.*)$/m, (_l, v: string) => `created_at: ${JSON.stringify(v.replace(/^"|"$/g, ''))}`);
  fs.writeFileSync(file, text, { flag: 'wx' });
  return file;
}
