import type { Contract } from '../../core/schemas/contract.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { WorkflowGate } from '../../core/schemas/workflow.js';
import type { RunStore } from '../../store/run-store.js';
import type { InvocationInput } from '../gate-ops.js';

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
  /** The work is done: validate the contract now (recording the invocation, if any, with the result). */
  | { kind: 'validate'; invocation?: InvocationInput }
  /** Someone finished or failed the attempt from another shell: take its result. */
  | { kind: 'finished_elsewhere' }
  /** The executor itself failed (command exit ≠ 0, timeout): fail the attempt with this reason. */
  | { kind: 'failed'; reason: string; invocation?: InvocationInput }
  | { kind: 'interrupted'; invocation?: InvocationInput };
