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

export abstract class RunrError extends Error {
  abstract readonly exitCode: ExitCode;
  override readonly name: string = 'RunrError';
}

/** Invalid input given by the user: flags, arguments, a file. Exit 2. */
export class UserError extends RunrError {
  readonly exitCode = ExitCode.invalid;
  override readonly name: string = 'UserError';
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
    super(`${file}: ${field === '' ? '(root)' : field}: ${problem}`);
  }
}

/** Something the user asked for cannot be done in the current state (e.g. run is locked). Exit 1. */
export class StateError extends RunrError {
  readonly exitCode = ExitCode.failed;
  override readonly name: string = 'StateError';
}

/** A run, gate or check ended in failure; the message has already been reported. Exit 1 (or given). */
export class OutcomeError extends RunrError {
  override readonly name: string = 'OutcomeError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failed,
    readonly payload?: unknown,
  ) {
    super(message);
  }
}

/** Interrupted by a signal. Exit 130. */
export class InterruptedError extends RunrError {
  readonly exitCode = ExitCode.interrupted;
  override readonly name: string = 'InterruptedError';
}

/** A broken invariant inside runr: a bug. Printed with its stack. */
export class InternalError extends Error {
  override readonly name: string = 'InternalError';
}

export function assertNever(x: never, what = 'value'): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(x)}`);
}
