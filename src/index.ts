/**
 * runr as a library. The manifest API mirrors genai-devbench's manifest manager (get, update,
 * find, rebuild, remove), with atomic locked writes and a query language. See docs/library.md.
 */
export { getManifest } from './manifest/get.js';
export { updateManifest, updateManifestEntries, removeRun } from './manifest/entries.js';
export type { ManifestEntryInput } from './manifest/entries.js';
export { findRuns } from './manifest/find.js';
export type { FindRunsOptions, FindSource } from './manifest/find.js';
export { rebuildManifest } from './manifest/rebuild.js';
export type { RebuildOptions, RebuildResult } from './manifest/rebuild.js';
export type { ManifestOptions } from './manifest/options.js';
export type { ManifestEntry } from './core/manifest/entry.js';
export type { Manifest, ManifestHeader } from './core/manifest/manifest.js';
export type { FindFilters } from './core/manifest/filters.js';
export { compileQuery } from './core/query/compile.js';
export type { CompiledQuery } from './core/query/compile.js';
export { QuerySyntaxError } from './core/query/errors.js';
export type { Layout, LayoutChoice, ScanProblem } from './manifest/adapters/layouts.js';
// Supervision (docs/supervise.md): tail a run's journal as events, wait for a condition.
export * from './supervise/index.js';
export { openStore } from './store/open-store.js';
