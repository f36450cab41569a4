/**
 * The harness verifier's six checks (`autonomous_verifier.verify_run`), pure: same names, same
 * detail shapes, same key order, `overall.pass` = every check passes. The I/O results (the
 * recomputed log hash, the temp files found, the external verifier) are passed in.
 */
import type { PyDict, PyValue } from './pyvalue.js';
import { isDict, pyEquals, pyGet, pyTruthy } from './pyvalue.js';
import type { Check, Verification } from './types.js';

export const VALID_SCHEMAS: readonly string[] = ['1.2', '1.3', '1.4'];
export const COMPACTION_KEYS = ['compaction_applied_count', 'compaction_rate', 'dropped_action_count', 'compaction_token_savings_est'] as const;

/** The recomputed execution-log hash, or why there is none. */
export type LogHashResult = { kind: 'ok'; hash: string } | { kind: 'missing' } | { kind: 'error'; message: string };

export interface CheckInputs {
  envelope: PyDict;
  logHash: LogHashResult;
  /** Temp files found (display paths). */
  tmpFound: string[];
  external?: Check;
}

/** A Python value as plain JSON for the result (ints that fit become numbers). */
export function pyToJson(v: PyValue | undefined): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(pyToJson);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [k, pyToJson(x)]));
  if (v !== null && typeof v === 'object') return v.items.map(pyToJson);
  return v;
}

export function buildVerification(input: CheckInputs): Verification {
  const env = input.envelope;
  const schema = pyGet(env, 'schema_version', '');
  const expected = pyGet(env, 'total_cases_expected', 60n);
  const actual = pyGet(env, 'total_cases_completed', 0n);

  const execution_log_hash: Check = { pass: false, expected: null, actual: null };
  const stored = pyGet(env, 'execution_log_hash', '');
  switch (input.logHash.kind) {
    case 'ok':
      execution_log_hash.expected = input.logHash.hash;
      execution_log_hash.actual = pyToJson(stored);
      execution_log_hash.pass = stored === input.logHash.hash;
      break;
    case 'missing':
      // The harness records nothing more for a missing log; runr says why.
      execution_log_hash.error = 'execution log not found';
      break;
    case 'error':
      execution_log_hash.error = input.logHash.message;
      break;
  }

  let compactionOk = true;
  if (schema === '1.4') {
    const metrics = pyGet(env, 'metrics');
    const m = isDict(metrics) ? metrics : new Map<string, PyValue>();
    compactionOk = COMPACTION_KEYS.every((k) => m.has(k));
  }

  const v: Verification = {
    total_cases_completed: { pass: pyEquals(actual, expected), expected: pyToJson(expected), actual: pyToJson(actual) },
    execution_log_hash,
    sandbox_hashes_recorded: { pass: pyTruthy(pyGet(env, 'sandbox_state_hash_before', '')) || pyTruthy(pyGet(env, 'sandbox_state_hash_after', '')) },
    no_tmp_remains: { pass: input.tmpFound.length === 0, found: input.tmpFound },
    schema_version_valid: { pass: typeof schema === 'string' && VALID_SCHEMAS.includes(schema), actual: pyToJson(schema) },
    compaction_metrics_consistent: { pass: compactionOk },
    ...(input.external ? { external_verifier: input.external } : {}),
    overall: { pass: false },
  };
  v.overall.pass = failedChecks(v).length === 0;
  return v;
}

/** Names of the failing checks, in the verifier's key order (`overall` excluded). */
export function failedChecks(v: Verification): string[] {
  const out: string[] = [];
  for (const [name, check] of Object.entries(v)) {
    if (name === 'overall') continue;
    if ((check as Check).pass !== true) out.push(name);
  }
  return out;
}
