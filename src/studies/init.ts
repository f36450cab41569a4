/** `runr study init <study>`: the document's tree, the registry header, a starter pipeline. Existing files are kept. */
import fs from 'node:fs';
import { SPEC_KINDS } from '../core/studies/ids.js';
import type { StudiesRoot } from './layout.js';
import { REGISTRY_HEADER, StudyLayout } from './layout.js';
import { STARTER_PIPELINE } from './starter-pipeline.js';

export interface InitResult {
  study: string;
  dir: string;
  created: string[];
  kept: string[];
}

export function initStudy(root: StudiesRoot, study: string, opts: { pipeline: boolean }): InitResult {
  const layout = new StudyLayout(root, study);
  const created: string[] = [];
  const kept: string[] = [];
  const dir = (abs: string) => {
    if (fs.existsSync(abs)) kept.push(layout.display(abs) + '/');
    else {
      fs.mkdirSync(abs, { recursive: true });
      created.push(layout.display(abs) + '/');
    }
  };
  const file = (abs: string, text: string) => {
    try {
      fs.writeFileSync(abs, text, { flag: 'wx' });
      created.push(layout.display(abs));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      kept.push(layout.display(abs));
    }
  };
  dir(layout.registryDir);
  for (const k of SPEC_KINDS) dir(layout.specsDir(k));
  dir(layout.batchesDir);
  file(layout.registryCsv, `${REGISTRY_HEADER}\n`);
  if (opts.pipeline) file(layout.pipelineFile, STARTER_PIPELINE);
  return { study, dir: layout.rel, created, kept: kept.filter((k) => !created.includes(k)) };
}

