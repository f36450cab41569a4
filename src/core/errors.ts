/**
 * Typed errors. Library code throws these; only the CLI entry (src/cli/main.ts) turns them into a
 * message and an exit code (STYLE §6–7).
 */

/** Exit codes, documented in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  /** A gate failed, a run failed or stopped, a check did not pass. */
  failed: 1,
  /** Invalid input: bad flag, bad file, bad run id. Nothing was written. */
  invalid: 2,
  /** A run stopped and can be resumed (task runs). */
  stopped: 3,
  /** `runr wait --timeout` ran out before the condition held (like GNU timeout). */
  timedOut: 124,
  /** Internal error: a bug in runr. */
  internal: 70,
  /** Interrupted by SIGINT/SIGTERM. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Machine-readable error codes: the `code` of the `{"error": {...}}` object printed on stdout under
 * `--json` (docs/cli.md lists them). A closed list; each error class has a default.
 */
export const ERROR_CODES = [
  /** A bad flag value or argument. */
  'invalid_input',
  /** The command line does not parse: unknown command or option, missing argument. */
  'usage',
  /** A file failed validation (`file` and `field` say where). */
  'invalid_file',
  'file_not_found',
  'run_not_found',
  /** A run-id prefix matches several runs. */
  'run_ambiguous',
  'gate_not_found',
  'contract_not_found',
  'workflow_not_found',
  /** A configured worker's command is not installed. */
  'worker_not_found',
  'worktree_dirty',
  'not_a_git_repository',
  'no_commits',
  /** Another process holds the run (its writer or session lock). */
  'run_locked',
  /** `resume` on a run that cannot be resumed (its stop reason, or it is still alive). */
  'not_resumable',
  /** `run complete --status PASSED` over a failed blocking gate. */
  'gate_failed',
  /** `--queue <url>`: the server cannot be reached or refuses the connection. */
  'queue_unavailable',
  /** Anything else the current state does not allow. */
  'invalid_state',
  /** The command's own work failed (a gate, a check, a run). */
  'failed',
  'interrupted',
  /** A bug in runr. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class RunrError extends Error {
  abstract readonly exitCode: ExitCode;
  override readonly name: string = 'RunrError';
  /** Not `code`: subclasses such as GitError already use that name for a process exit status. */
  readonly errorCode: ErrorCode;
  constructor(message: string, errorCode: ErrorCode) {
    super(message);
    this.errorCode = errorCode;
  }
}

/** Invalid input given by the user: flags, arguments, a file. Exit 2. */
export class UserError extends RunrError {
  readonly exitCode = ExitCode.invalid;
  override readonly name: string = 'UserError';
  constructor(message: string, code: ErrorCode = 'invalid_input') {
    super(message, code);
  }
}

/** A file failed validation. The message names the file and the field. Exit 2. */
export class ValidationError extends RunrError {
  readonly exitCode = ExitCode.invalid;
  override readonly name: string = 'ValidationError';
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field === '' ? '(root)' : field}: ${problem}`, 'invalid_file');
  }
}

/** Something the user asked for cannot be done in the current state (e.g. run is locked). Exit 1. */
export class StateError extends RunrError {
  readonly exitCode = ExitCode.failed;
  override readonly name: string = 'StateError';
  constructor(message: string, code: ErrorCode = 'invalid_state') {
    super(message, code);
  }
}

/** A run, gate or check ended in failure; the message has already been reported. Exit 1 (or given). */
export class OutcomeError extends RunrError {
  override readonly name: string = 'OutcomeError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failed,
    readonly payload?: unknown,
  ) {
    super(message, exitCode === ExitCode.interrupted ? 'interrupted' : 'failed');
  }
}

/** Interrupted by a signal. Exit 130. */
export class InterruptedError extends RunrError {
  readonly exitCode = ExitCode.interrupted;
  override readonly name: string = 'InterruptedError';
  constructor(message: string) {
    super(message, 'interrupted');
  }
}

/** A broken invariant inside runr: a bug. Printed with its stack. */
export class InternalError extends Error {
  override readonly name: string = 'InternalError';
}

export function assertNever(x: never, what = 'value'): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(x)}`);
}
