/**
 * runr as a library. The manifest API mirrors genai-devbench's manifest manager (get, update,
 * find, rebuild, remove), with atomic locked writes and a query language. See docs/library.md.
 */
export { getManifest } from './store/manifest/get.js';
export { updateManifest, updateManifestEntries, removeRun } from './store/manifest/entries.js';
export type { ManifestEntryInput } from './store/manifest/entries.js';
export { findRuns } from './store/manifest/find.js';
export type { FindRunsOptions, FindSource } from './store/manifest/find.js';
export { rebuildManifest } from './store/manifest/rebuild.js';
export type { RebuildOptions, RebuildResult } from './store/manifest/rebuild.js';
export type { ManifestOptions } from './store/manifest/options.js';
export type { ManifestEntry } from './core/manifest/entry.js';
export type { Manifest, ManifestHeader } from './core/manifest/manifest.js';
export type { FindFilters } from './core/manifest/filters.js';
export { compileQuery } from './core/query/compile.js';
export type { CompiledQuery } from './core/query/compile.js';
export { QuerySyntaxError } from './core/query/errors.js';
export type { Layout, LayoutChoice, ScanProblem } from './adapters/layout.js';
// Supervision (docs/supervise.md): tail a run's journal as events, wait for a condition.
export * from './supervise/index.js';
export { openStore } from './store/open-store.js';
