/** A doctor check's result. `fail` makes `runr doctor` exit 1; `warn` does not. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it, when not ok. */
  hint?: string;
}
