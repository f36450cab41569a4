/**
 * Where a study's files are (the document's layout, under `studies_dir`, default `runs`):
 *
 *   runs/<study>/registry/runs.csv, registry/latest.txt
 *   runs/<study>/specs/{pop,persona,network-config,scenario}/
 *   runs/<study>/pipeline.yaml
 *   runs/<study>/batches/<batch_id>/manifest.yaml, report.md
 *   runs/<study>/batches/<batch_id>/variants/<variant_id>/{inputs,results}/
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { UserError, ValidationError } from '../core/errors.js';
import { checkBatch, checkStudy, checkVariant } from '../core/studies/ids.js';
import type { SpecKind } from '../core/studies/ids.js';
import { normalizeRelPath } from '../core/template.js';
import type { OpenProjectOptions, Project } from '../store/project.js';
import { openProject, relToRoot } from '../store/project.js';
import { CONFIG_REL } from '../config/read-config.js';

export const DEFAULT_STUDIES_DIR = 'runs';
export const REGISTRY_HEADER = 'timestamp,study,batch_id,variant_id,scenario_rev,config_rev,seed,status,results_dir,notes';

const StudiesConfig = z.looseObject({ studies_dir: z.string().min(1).optional() });

export interface StudiesRoot {
  project: Project;
  /** Repository-relative, forward slashes (`runs`). */
  rel: string;
  abs: string;
}

export interface StudiesOptions extends OpenProjectOptions {
  /** `--studies-dir`, relative to the repository root. */
  studiesDir?: string;
}

function relDir(value: string, where: string, field: string): string {
  const n = normalizeRelPath(value);
  if (!n.ok) throw new ValidationError(where, field, `must be a path inside the repository (${n.problem})`);
  return n.path;
}

export function openStudies(cwd: string, opts: StudiesOptions = {}): StudiesRoot {
  const project = openProject(cwd, opts);
  let rel = DEFAULT_STUDIES_DIR;
  if (opts.studiesDir !== undefined) rel = relDir(opts.studiesDir, '--studies-dir', '');
  else {
    const cfg = StudiesConfig.safeParse(project.config);
    if (!cfg.success) throw new ValidationError(CONFIG_REL, 'studies_dir', 'expected a path');
    if (cfg.data.studies_dir !== undefined) rel = relDir(cfg.data.studies_dir, CONFIG_REL, 'studies_dir');
  }
  return { project, rel, abs: path.join(project.root, rel) };
}

export class StudyLayout {
  readonly root: StudiesRoot;
  readonly study: string;
  readonly abs: string;
  readonly rel: string;

  constructor(root: StudiesRoot, study: string, flag = '<study>') {
    const p = checkStudy(study);
    if (p !== null) throw new UserError(`${flag}: ${p}`);
    this.root = root;
    this.study = study;
    this.abs = path.join(root.abs, study);
    this.rel = relToRoot(root.project, this.abs);
  }

  get repo(): string {
    return this.root.project.root;
  }
  display(abs: string): string {
    return relToRoot(this.root.project, abs);
  }
  /** Path relative to the study directory (for messages such as `dep changed: specs/pop/...`). */
  inStudy(repoRel: string): string {
    return repoRel.startsWith(`${this.rel}/`) ? repoRel.slice(this.rel.length + 1) : repoRel;
  }
  get registryDir(): string {
    return path.join(this.abs, 'registry');
  }
  get registryCsv(): string {
    return path.join(this.registryDir, 'runs.csv');
  }
  get latestTxt(): string {
    return path.join(this.registryDir, 'latest.txt');
  }
  specsDir(kind: SpecKind): string {
    return path.join(this.abs, 'specs', kind);
  }
  get pipelineFile(): string {
    return path.join(this.abs, 'pipeline.yaml');
  }
  get batchesDir(): string {
    return path.join(this.abs, 'batches');
  }
  batchDir(batch: string, flag = '<batch_id>'): string {
    const p = checkBatch(batch);
    if (p !== null) throw new UserError(`${flag}: ${p}`);
    return path.join(this.batchesDir, batch);
  }
  manifestFile(batch: string): string {
    return path.join(this.batchDir(batch), 'manifest.yaml');
  }
  reportFile(batch: string): string {
    return path.join(this.batchDir(batch), 'report.md');
  }
  variantDir(batch: string, variant: string, flag = '--variant'): string {
    const p = checkVariant(variant);
    if (p !== null) throw new UserError(`${flag}: ${p}`);
    return path.join(this.batchDir(batch), 'variants', variant);
  }

  /** The study must exist (made by `runr study init`). */
  requireExists(): void {
    if (!fs.existsSync(this.registryCsv)) throw new UserError(`study not found: ${this.rel} has no registry/runs.csv (create it with: runr study init ${this.study})`);
  }

  batchIds(): string[] {
    try {
      return fs.readdirSync(this.batchesDir).filter((n) => checkBatch(n) === null).sort();
    } catch {
      return [];
    }
  }

  /** Whether a repository-relative path lies inside the study directory. */
  contains(repoRel: string): boolean {
    return repoRel === this.rel || repoRel.startsWith(`${this.rel}/`);
  }
}
