/**
 * What `runr init` writes: create `.runr/` (config, contracts/, workflows/, runs/) and the selective
 * .gitignore block. Idempotent: an existing config is kept unless `--force`; the ignore block is
 * replaced in place. `--print` writes nothing and shows what would be written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../store/atomic.js';
import { CONFIG_REL, readConfigFile } from '../config/read-config.js';
import { resolveRunsDir } from '../store/runs-dir.js';
import { LEGACY_RUNS_REL, findRepoRoot, openProject, relToRoot } from '../store/project.js';
import { applyIgnoreBlock, ignoreBlock } from './ignore-rules.js';
import { CONFIG_SCHEMA_REL } from '../config/schema-ref.js';
import { withAttributes } from '../manifest/merge-setup.js';

export interface InitPlan {
  root: string;
  files: Array<{ path: string; action: 'create' | 'overwrite' | 'update' | 'keep'; content: string }>;
  dirs: string[];
}


/**
 * When an `orchestration/runs/` (the Orchestration Runner's layout) exists, the config pins the runs
 * directory in use (`runs_dir`), so it never changes silently (runs-dir.ts decides which one that is;
 * with `--force` over an existing config, the one that config used).
 */
export function defaultConfig(root?: string): Record<string, unknown> {
  const base = { $schema: CONFIG_SCHEMA_REL, schema_version: 1 };
  if (root === undefined || !fs.existsSync(path.join(root, LEGACY_RUNS_REL))) return base;
  let runsRel: string;
  try {
    const { config, exists } = readConfigFile(root);
    runsRel = resolveRunsDir(root, config, exists).rel;
  } catch {
    runsRel = resolveRunsDir(root, {}, false).rel; // a broken config being replaced: as if there were none
  }
  return { ...base, runs_dir: runsRel.split(path.sep).join('/') };
}

export function planInit(cwd: string, force: boolean, config: Record<string, unknown> = defaultConfig()): InitPlan {
  const root = findRepoRoot(cwd);
  const configPath = path.join(root, CONFIG_REL);
  const files: InitPlan['files'] = [];
  const configExists = fs.existsSync(configPath);
  files.push({ path: CONFIG_REL, action: configExists ? (force ? 'overwrite' : 'keep') : 'create', content: `${JSON.stringify(config, null, 2)}\n` });
  // The ignore block follows the configured layout (an existing config may move runs_dir).
  const runsRel = typeof config.runs_dir === 'string' ? config.runs_dir : path.join('.runr', 'runs');
  const project = configExists && !force ? openProject(root) : { ...openProject(root), runrDir: path.join(root, '.runr'), runsDir: path.join(root, runsRel) };
  const block = ignoreBlock(relToRoot(project, project.runrDir), relToRoot(project, project.runsDir));
  const gi = path.join(root, '.gitignore');
  const existing = fs.existsSync(gi) ? fs.readFileSync(gi, 'utf8') : '';
  const next = applyIgnoreBlock(existing, block);
  files.push({ path: '.gitignore', action: existing === '' ? 'create' : next === existing ? 'keep' : 'update', content: next });
  // The manifest's merge driver (the git config half is installed by the command: it names the launcher).
  const ga = path.join(root, '.gitattributes');
  const attrs = fs.existsSync(ga) ? fs.readFileSync(ga, 'utf8') : '';
  const nextAttrs = withAttributes(attrs, relToRoot(project, project.runsDir));
  files.push({ path: '.gitattributes', action: attrs === '' ? 'create' : nextAttrs === attrs ? 'keep' : 'update', content: nextAttrs });
  const dirs = ['.runr/contracts', '.runr/workflows', '.runr/tasks', relToRoot(project, project.runsDir)];
  return { root, files, dirs };
}

export function applyInit(plan: InitPlan): void {
  for (const d of plan.dirs) fs.mkdirSync(path.join(plan.root, d), { recursive: true });
  for (const f of plan.files) {
    if (f.action === 'keep') continue;
    const abs = path.join(plan.root, f.path);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    writeFileAtomicSync(abs, f.content);
  }
}
