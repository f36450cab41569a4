/** The worker interface every adapter implements (claude, codex, command, scripted). */
import type { WorkerPhase } from '../core/tasks/phases.js';
import type { Usage } from './protocol.js';

export interface WorkerRequest {
  phase: WorkerPhase;
  runId: string;
  /** The task file, repository-relative. */
  task: string;
  /** 0-based; null for PLAN. */
  milestoneIndex: number | null;
  /** Milestone id (m1, …) or null for PLAN. */
  milestoneId: string | null;
  /** IMPLEMENT attempt or REVIEW round (1-based); 1 for PLAN. */
  attempt: number;
  /** The retry after an unparsable answer. */
  reminder: boolean;
  prompt: string;
  /** Where the prompt was written (also given on stdin). */
  promptFile: string;
  /** RUNR_RESULT_FILE: a worker may write its JSON answer here instead of printing it. */
  resultFile: string;
  /** Where the worker works (the worktree). */
  cwd: string;
  /** Worker output (redacted) goes here. */
  logFile: string;
  /** The running worker's pid is kept here, so a dead run's worker can be reaped. */
  pidFile: string;
  timeoutMs: number;
  /** Kill a worker silent for this long (no output, no file changed); null = never. */
  stallMs: number | null;
  /** Epoch ms of the latest file change in the work directory (the stall detector's second sign of life). */
  lastFileChange?: () => number;
  signal: AbortSignal;
  redact: (s: string) => string;
}

/** A worker call described as data (STYLE §9). */
export type WorkerOutcome =
  | { kind: 'answered'; value: Record<string, unknown>; usage?: Usage; durationMs: number }
  | { kind: 'unparsable'; tail: string; durationMs: number }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'stalled'; durationMs: number }
  | { kind: 'canceled'; durationMs: number }
  | { kind: 'failed'; detail: string; durationMs: number };

export interface Worker {
  readonly name: string;
  readonly adapter: string;
  call(req: WorkerRequest): Promise<WorkerOutcome>;
}
