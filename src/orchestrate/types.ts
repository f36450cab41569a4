/**
 * What the orchestrator's hooks (gate.ts) and its merge queue (land.ts) see of it. The driver's
 * `Orchestrator` class implements this; the hooks and the queue depend on this interface only, so
 * neither imports the driver that imports them (no cycle, not even a type-only one).
 */
import type { OrchEvent, OrchTaskSpec } from '../core/events/orchestration.js';
import type { CollisionPolicy } from '../core/orchestrate/policy.js';
import type { OrchestrationState } from '../core/orchestrate/state.js';
import type { TaskConfig } from '../core/tasks/config.js';
import type { Project } from '../store/project.js';
import type { RunStore } from '../store/run-store.js';
import type { ActiveTask } from './active.js';
import type { Integration } from './integration.js';
import type { DryRunCache } from './merge-tree.js';

export interface OrchestratorView {
  readonly id: string;
  readonly store: RunStore;
  readonly project: Project;
  readonly config: TaskConfig;
  readonly integration: Integration;
  readonly signal: AbortSignal;
  readonly dryRuns: DryRunCache;
  readonly ownPaths: string[];
  readonly state: OrchestrationState;
  readonly repoRoot: string;
  readonly policy: CollisionPolicy;
  spec(track: string, index: number): OrchTaskSpec;
  activeTasks(): ActiveTask[];
  nextGrant(): number;
  /** Append an orchestration event and refresh the state. */
  record(e: OrchEvent): Promise<void>;
  /** Resolve when `cond()` holds (checked after every state change) or the orchestrator is interrupted. */
  waitUntil(cond: () => boolean): Promise<void>;
  log(line: string): void;
  /** Merge `rev` into the branch checked out in `dir`; on conflict nothing changes. */
  mergeInto(dir: string, rev: string, message: string): Promise<{ ok: true; sha: string } | { ok: false; files: string[] }>;
}
