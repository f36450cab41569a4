/**
 * The supervision module's public surface (docs/supervise.md, "Library API"): tail a run's journal
 * as events, wait for a condition, spawn a detached supervisor, watch with auto-resume.
 * Other families (orchestrate, the live view) import from here, not from the files behind it.
 */
export { JournalTail, DEFAULT_POLL_MS } from './journal-tail.js';
export type { JournalTailOptions } from './journal-tail.js';
export { tailRun, journalFile, LIVENESS_MS } from './tail-run.js';
export type { RunUpdate, TailRunOptions } from './tail-run.js';
export { waitForRun } from './wait.js';
export type { WaitOptions, WaitResult } from './wait.js';
export { runView } from '../core/supervise/run-view.js';
export type { RunView } from '../core/supervise/run-view.js';
export { parseCondition, evaluate, waitExitCode, describeCondition } from '../core/supervise/conditions.js';
export type { WaitCondition, Verdict } from '../core/supervise/conditions.js';
export { watchRun } from './watch.js';
export type { WatchEvent, WatchOptions } from './watch.js';
export { spawnDetachedSession } from './detach.js';
export type { DetachOptions, DetachResult } from './detach.js';
