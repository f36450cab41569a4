/** `runr find '<expr>'` and `runr manifest show|find|rebuild|remove` (seed 004). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { parseOptions, withOptions } from '../option-spec.js';
import { FIND, MANIFEST_FIND, MANIFEST_REBUILD, MANIFEST_REMOVE, MANIFEST_SHOW } from './manifest/manifest-flags.js';

export function registerManifestCommands(program: Command, { signal }: RegisterDeps): void {
  withOptions(
    program
      .command('find')
      .description("query the run manifest: runr find \"status = 'PASSED' and params.seed in (1, 2)\"")
      .argument('<expr>', 'query (see docs/manifest.md for the grammar)'),
    FIND,
  ).action(async (expr: string, opts: Record<string, unknown>, cmd: Command) => {
    const { findCommand } = await import('./manifest/manifest-find.js');
    await findCommand(makeContext(cmd, signal), expr, parseOptions(FIND, opts));
  });

  const manifest = program.command('manifest').description('the git-tracked run index <runs_dir>/runs_manifest.json: show, find, rebuild, remove');

  withOptions(manifest.command('show').description('summary of the manifest (--json: the manifest itself)'), MANIFEST_SHOW).action(
    async (opts: Record<string, unknown>, cmd: Command) => {
      const { showCommand } = await import('./manifest/manifest-show.js');
      await showCommand(makeContext(cmd, signal), parseOptions(MANIFEST_SHOW, opts));
    },
  );

  withOptions(
    manifest
      .command('find')
      .description('find runs with the original filters (AND), optionally with a query')
      .argument('[expr]', 'optional query, ANDed with the filters'),
    MANIFEST_FIND,
  ).action(async (expr: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    const { findCommand } = await import('./manifest/manifest-find.js');
    await findCommand(makeContext(cmd, signal), expr ?? null, parseOptions(MANIFEST_FIND, opts));
  });

  manifest
    .command('merge')
    .description('git merge driver for the manifest (`runr init` installs it): merge %O %A %B into %A, union by run id, never a conflict')
    .argument('<ancestor>', '%O: the common ancestor’s version')
    .argument('<ours>', '%A: our version; the result is written here')
    .argument('<theirs>', '%B: their version')
    .action(async (base: string, ours: string, theirs: string) => {
      const { mergeManifestFiles } = await import('../../manifest/merge-driver.js');
      mergeManifestFiles(base, ours, theirs);
    });

  withOptions(manifest.command('rebuild').description('re-index every run directory and write runs_manifest.json in it'), MANIFEST_REBUILD).action(
    async (opts: Record<string, unknown>, cmd: Command) => {
      const { rebuildCommand } = await import('./manifest/manifest-rebuild.js');
      await rebuildCommand(makeContext(cmd, signal), parseOptions(MANIFEST_REBUILD, opts));
    },
  );

  withOptions(
    manifest
      .command('remove')
      .description("remove a run's entry (the run directory is kept; rebuild would add it back)")
      .argument('<run>', 'run id or unique prefix'),
    MANIFEST_REMOVE,
  ).action(async (run: string, opts: Record<string, unknown>, cmd: Command) => {
    const { removeCommand } = await import('./manifest/manifest-remove.js');
    await removeCommand(makeContext(cmd, signal), run, parseOptions(MANIFEST_REMOVE, opts));
  });
}
