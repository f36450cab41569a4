/**
 * One worker call with the protocol's rules: an answer that does not parse or does not match the
 * phase's schema is retried once with a "JSON only" reminder, then the run stops with
 * `worker_parse_failed`. Other outcomes map to their stop reasons.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import type { StopReason } from '../core/tasks/stop-reasons.js';
import { formatZodIssue } from '../core/zod-format.js';
import type { Usage } from './protocol.js';
import { JSON_ONLY_REMINDER } from './protocol.js';
import type { Worker, WorkerOutcome, WorkerRequest } from './types.js';

export type CallResult<T> =
  | { ok: true; value: T; usage?: Usage; durationMs: number }
  | { ok: false; reason: StopReason; detail: string; durationMs: number };

function stopFor(o: Exclude<WorkerOutcome, { kind: 'answered' } | { kind: 'unparsable' }>, timeoutReason: StopReason): { reason: StopReason; detail: string } {
  switch (o.kind) {
    case 'timeout':
      return { reason: timeoutReason, detail: `the worker ran out of time after ${Math.round(o.durationMs / 1000)} s; its process group was killed` };
    case 'stalled':
      return { reason: 'stalled_timeout', detail: `the worker printed nothing and changed no file for limits.stall_timeout_s (${Math.round(o.durationMs / 1000)} s in); its process group was killed` };
    case 'canceled':
      return { reason: 'interrupted', detail: 'interrupted while the worker was running' };
    case 'failed':
      return { reason: 'worker_failed', detail: o.detail };
  }
}

/**
 * `timeoutReason`: `worker_timeout`, or `time_budget_exceeded` when the call was cut short by the
 * run's remaining time budget rather than the worker's own timeout.
 */
export async function callWorker<S extends z.ZodType>(worker: Worker, req: WorkerRequest, schema: S, timeoutReason: StopReason = 'worker_timeout'): Promise<CallResult<z.infer<S>>> {
  let total = 0;
  let problem = '';
  for (const reminder of [false, true]) {
    const prompt = reminder ? `${req.prompt}${JSON_ONLY_REMINDER}${problem === '' ? '' : `(The problem: ${problem}.)\n`}` : req.prompt;
    if (reminder) fs.writeFileSync(req.promptFile, req.redact(prompt));
    const o = await worker.call({ ...req, prompt, reminder, timeoutMs: Math.max(1, req.timeoutMs - total) });
    total += o.durationMs;
    if (o.kind === 'answered') {
      const r = schema.safeParse(o.value);
      if (r.success) return o.usage === undefined ? { ok: true, value: r.data, durationMs: total } : { ok: true, value: r.data, usage: o.usage, durationMs: total };
      const issue = r.error.issues[0];
      problem = issue ? `${formatZodIssue(issue).field || '(root)'}: ${formatZodIssue(issue).problem}` : 'invalid answer';
      continue;
    }
    if (o.kind === 'unparsable') {
      problem = 'no JSON object found in the answer';
      continue;
    }
    return { ok: false, ...stopFor(o, timeoutReason), durationMs: total };
  }
  return { ok: false, reason: 'worker_parse_failed', detail: `${worker.name}: the answer did not parse, even after a JSON-only reminder (${problem})`, durationMs: total };
}
