/** The ops journal events fold into the record (pure reducer). */
import { describe, expect, it } from 'vitest';
import { JournalEventSchema } from '../../src/core/events/index.js';
import type { JournalEvent } from '../../src/core/events/index.js';
import { replay } from '../../src/core/reduce/index.js';

const env = (seq: number) => ({ schema_version: 1 as const, seq, ts: `2026-11-21T00:00:0${seq}.000Z`, prev: seq === 1 ? null : 'a'.repeat(64) });

describe('ops events', () => {
  it('created → started (RUNNING, phase) → completed (status, metrics, ops section)', () => {
    const events = [
      { ...env(1), type: 'run.created', run_id: 'run_x', kind: 'ops', workflow: { name: 'ops', version: '0.1.0', slug: 'ops-phase4b', artifact_path: 'runtime' }, depth: 'standard', prompt: null, params: { preset: 'phase4b' }, gates: [] },
      { ...env(2), type: 'ops.started', stage: 'lifecycle' },
      {
        ...env(3),
        type: 'ops.completed',
        stage: 'lifecycle',
        status: 'FAILED',
        exit_code: 1,
        runtime_dir: 'runtime',
        run_id: 'r',
        candidates: [
          { model_id: 'a', instance_id: 'i1', scan_status: 'complete', status: 'complete', monitor_timeout: false, verifier_pass: true, failed_checks: [] },
          { model_id: 'b', instance_id: 'i2', scan_status: 'complete', status: 'complete', monitor_timeout: false, verifier_pass: false, failed_checks: ['execution_log_hash'] },
        ],
        report_path: 'runtime/benchmarks/reports/r.report.md',
        report_sha256: 'b'.repeat(64),
        report_generated: false,
        report_kind: 'awaiting',
        counts: { candidates: 2, valid: 1, invalid: 1, verification_failures: 1 },
      },
    ].map((e) => JournalEventSchema.parse(e) as JournalEvent);
    const afterStart = replay(events.slice(0, 2));
    expect(afterStart).toMatchObject({ kind: 'ops', status: 'RUNNING', phase: 'lifecycle' });
    const run = replay(events);
    expect(run).toMatchObject({
      status: 'FAILED',
      finished_at: '2026-11-21T00:00:03.000Z',
      phase: null,
      verification_status: 'FAIL',
      metrics: { candidates: 2, valid_runs: 1, invalid_runs: 1, verification_failures: 1, report_generated: false, exit_code: 1 },
      ops: { report_path: 'runtime/benchmarks/reports/r.report.md', report_kind: 'awaiting' },
    });
    expect(run?.events.at(-1)?.type).toBe('OPS_COMPLETED');
  });
});
