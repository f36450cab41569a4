/** `runr init` (and `--demo`, `--interactive`): plan, apply, print what was written. */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import type { InitOptions } from './project-options.js';
import { findRepoRoot } from '../../../store/project.js';
import { applyInit, defaultConfig, planInit } from '../../../project/init.js';
import { detectProject, taskConfigSections } from '../../../tasks/init/detect.js';
import { exampleTaskFiles, writeExampleTasks } from '../../../tasks/init/write.js';

export async function init(ctx: CliContext, opts: InitOptions): Promise<void> {
  if (opts.interactive) {
    emit(ctx, { interactive: false, message: 'interactive setup is not available yet' }, () => ['Interactive setup is coming soon. `runr init` auto-detects verification commands and presets; review .runr/runr.config.json afterwards.']);
    return;
  }
  if (opts.demo) {
    const { initDemo } = await import('./init-demo.js');
    initDemo(ctx, opts);
    return;
  }
  const root = findRepoRoot(ctx.cwd);
  // Task-run sections (verification tiers, scope presets, workers) detected from the project files.
  const plan = planInit(ctx.cwd, opts.force, { ...defaultConfig(root), ...taskConfigSections(root, detectProject(root)) });
  const print = opts.print;
  const examples = exampleTaskFiles(plan.root);
  let mergeDriver: string | null = null;
  if (!print) {
    applyInit(plan);
    writeExampleTasks(plan.root, examples);
    mergeDriver = await installMergeDriver(plan.root);
  }
  emit(
    ctx,
    { root: plan.root, written: !print, files: plan.files.map((f) => ({ path: f.path, action: f.action })), dirs: plan.dirs, example_tasks: examples.map((t) => t.path), merge_driver: mergeDriver, ...(print ? { contents: Object.fromEntries(plan.files.map((f) => [f.path, f.content])) } : {}) },
    () =>
      print
        ? [...plan.files, ...examples.map((t) => ({ ...t, action: 'create' }))].flatMap((f) => [`--- ${f.path} (${f.action})`, f.content.trimEnd()])
        : [
            `Initialized runr in ${plan.root}`,
            ...plan.files.map((f) => `  ${f.action.padEnd(9)} ${f.path}`),
            ...plan.dirs.map((d) => `  dir       ${d}/`),
            ...examples.map((t) => `  create    ${t.path}`),
            ...(mergeDriver !== null ? [`  git config merge.runr-manifest.driver = ${mergeDriver}`] : []),
            'next: add workflows to .runr/workflows and contracts to .runr/contracts, then `runr run start --workflow <name> ...`',
            'or run an agent task: `runr doctor`, then `runr run --task .runr/tasks/<task>.md --worktree --json`',
          ],
  );
  await Promise.resolve();
}

/** The manifest's merge driver in the repository's git config (how git calls this runr). */
async function installMergeDriver(root: string): Promise<string | null> {
  const { installDriverConfig } = await import('../../../manifest/merge-setup.js');
  const { onPath } = await import('../../../tasks/init/detect.js');
  const { runrBin } = await import('../../self.js');
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = onPath('runr') !== null ? 'runr' : `${q(process.execPath)} ${q(runrBin())}`;
  try {
    await installDriverConfig(root, command);
    return `${command} manifest merge %O %A %B`;
  } catch {
    return null; // not a git repository: nothing to merge
  }
}
