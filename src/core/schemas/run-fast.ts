/**
 * RUN.json read without building RunRecordSchema: the same schema written with the checks of
 * fast-shape.ts, field for field (run.ts is the reference; test/unit/run-fast.test.ts compares the
 * two structures and their results on the record fixtures and on malformed copies of them). A record
 * that is not plainly valid is parsed by zod, so errors and their messages are zod's.
 */
import type { RunRecord } from './run.js';
import { ATTEMPT_STATUSES, GATE_STATUSES, RUN_KINDS, RUN_STATUSES, RunRecordSchema } from './run.js';
import { NOT_PLAIN, array, bool, looseObject, nullable, num, oneOf, optional, record, str, unknownValue } from './fast-shape.js';
import type { Check } from './fast-shape.js';

let fast: Check | undefined;

function build(): Check {
  const string = str();
  const attemptStatus = oneOf(ATTEMPT_STATUSES);
  const artifact = looseObject({
    path: string,
    sha256: str(/^[0-9a-f]{64}$/),
    exists: bool,
    optional: optional(bool),
    bytes: optional(num({ int: true, gte: 0 })),
  });
  const validationResult = looseObject({ type: string, pass: bool, description: optional(string) });
  const revalidation = looseObject({ status: attemptStatus, finished_at: nullable(string), failure_reason: nullable(string) });
  const attempt = looseObject({
    attempt: num({ int: true, gt: 0 }),
    status: attemptStatus,
    started_at: string,
    finished_at: nullable(string),
    agent: string,
    prompt_sha256: optional(nullable(string)),
    invocation_ids: array(string),
    required_outputs: array(string),
    artifacts: array(artifact),
    validations: array(validationResult),
    failure_reason: nullable(string),
    executor: optional(string),
    revalidations: optional(array(revalidation)),
  });
  const gate = looseObject({ gate: string, name: string, status: oneOf(GATE_STATUSES), attempts: array(attempt) });
  const invocation = looseObject({
    invocation_id: string,
    gate: string,
    agent: string,
    model: string,
    started_at: string,
    finished_at: nullable(string),
    duration_ms: num(),
    status: oneOf(['SUCCESS', 'FAIL']),
    input_refs: array(string),
    output_refs: array(string),
  });
  const artifactIndexEntry = looseObject({ path: string, sha256: string, gate: string, recorded_at: string, updated_at: optional(string) });
  const legacyEvent = looseObject({ timestamp: string, type: string });
  return looseObject({
    schema_version: optional(num({ int: true, gt: 0 })),
    run_id: string,
    kind: optional(oneOf(RUN_KINDS)),
    workflow: looseObject({ name: string, version: string, slug: string, artifact_path: string, file: optional(string), sha256: optional(string) }),
    depth: string,
    prompt: optional(nullable(looseObject({ file: nullable(string), sha256: string }))),
    status: oneOf(RUN_STATUSES),
    started_at: string,
    finished_at: nullable(string),
    gates: array(gate),
    invocations: array(invocation),
    artifacts_index: array(artifactIndexEntry),
    validations: array(unknownValue),
    events: array(legacyEvent),
    params: optional(record(unknownValue)),
    phase: optional(nullable(string)),
    stop_reason: optional(nullable(string)),
    metrics: optional(record(unknownValue)),
    tags: optional(record(string)),
    git: optional(nullable(looseObject({}))),
    framework: optional(nullable(string)),
    verification_status: optional(nullable(string)),
    journal_seq: optional(num({ int: true, gte: 0 })),
  });
}

/** The fast check itself (built on first use), for the test that compares it with RunRecordSchema. */
export function runRecordCheck(): Check {
  return (fast ??= build());
}

/** What RunRecordSchema.parse would return, when `raw` is plainly valid; else undefined. */
export function fastRunRecord(raw: unknown): RunRecord | undefined {
  const r = runRecordCheck().run(raw);
  return r === NOT_PLAIN ? undefined : (r as RunRecord);
}

/** RunRecordSchema.safeParse, answered without zod when the record is plainly valid. */
export function safeParseRunRecord(raw: unknown): ReturnType<typeof RunRecordSchema.safeParse> {
  const data = fastRunRecord(raw);
  return data !== undefined ? { success: true, data } : RunRecordSchema.safeParse(raw);
}
