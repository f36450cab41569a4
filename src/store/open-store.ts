/**
 * The one place that wires a RunStore for the CLI: project layout plus the hooks that keep
 * derived indexes (the manifest) up to date when a run changes.
 */
import type { OpenProjectOptions, Project } from './project.js';
import { openProject } from './project.js';
import type { RunStoreOptions } from './run-store.js';
import { RunStore } from './run-store.js';

export function storeFor(project: Project, opts: RunStoreOptions = {}): RunStore {
  return new RunStore(project, {
    ...opts,
    hooks: {
      onChanged: async (run, store, previous) => {
        // Keep <runs_dir>/runs_manifest.json in step: now, or when the command ends (deferred.ts).
        const { noteRunChanged } = await import('../manifest/deferred.js');
        await noteRunChanged(run, previous, store, { fsync: opts.fsync ?? true, ...(opts.warn ? { warn: opts.warn } : {}) });
        await opts.hooks?.onChanged?.(run, store, previous);
      },
    },
  });
}

export function openStore(cwd: string, projectOpts: OpenProjectOptions = {}, opts: RunStoreOptions = {}): RunStore {
  return storeFor(openProject(cwd, projectOpts), opts);
}
