import type { Contract } from '../../core/schemas/contract.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { WorkflowGate } from '../../core/schemas/workflow.js';
import type { RunStore } from '../../store/run-store.js';

export interface ExecutorEnv {
  store: RunStore;
  run: RunRecord;
  gate: WorkflowGate;
  contract: Contract;
  attempt: number;
  /** Absolute path of the prompt packet. */
  promptFile: string;
  signal: AbortSignal;
  /** Progress lines for the human (stderr in --json mode). */
  say: (line: string) => void;
  isTTY: boolean;
  /** Manual executor without a TTY: how long to wait for outputs. */
  waitTimeoutMs: number;
  pollMs: number;
}

/** What an executor reports back to the CI loop. */
export type ExecutorOutcome =
  /** The work is done: validate the contract now. */
  | { kind: 'validate' }
  /** Someone finished or failed the attempt from another shell: take its result. */
  | { kind: 'finished_elsewhere' }
  /** The executor itself failed (command exit ≠ 0, timeout): fail the attempt with this reason. */
  | { kind: 'failed'; reason: string }
  | { kind: 'interrupted' };
