/**
 * Write the report: load the valid runs' files (metrics, events), render with the chosen
 * generator, write `<runtime>/benchmarks/reports/<file>` atomically. Fewer valid runs than
 * min-valid writes the harness's "Awaiting valid artifacts." text instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { assertNever } from '../core/errors.js';
import type { ReportKind } from '../core/ops/lifecycle-rules.js';
import { reportKind } from '../core/ops/lifecycle-rules.js';
import { awaitingReport } from '../core/ops/report-blocks.js';
import { renderCompactionSignal } from '../core/ops/report-compaction.js';
import type { ExcludedRun, ReportInput, ReportRun } from '../core/ops/report-input.js';
import { renderSummary } from '../core/ops/report-summary.js';
import type { ReportGenerator, RunOutcome } from '../core/ops/types.js';
import { writeFileAtomicSync } from '../store/atomic.js';
import { sha256Text } from '../store/hash.js';
import { readPyDictOrEmpty } from './files.js';
import type { RuntimeLayout } from './runtime-layout.js';
import { shownPath } from './runtime-layout.js';
import { loadEvents } from './log-hash.js';

export interface ReportRequest {
  generator: ReportGenerator;
  title: string;
  subtitle: string | null;
  runId: string;
  fileName: string;
  minValid: number;
  valid: readonly RunOutcome[];
  excluded: readonly ExcludedRun[];
}

export interface WrittenReport {
  kind: ReportKind;
  generated: boolean;
  /** Absolute, and as printed (under the runtime dir as given). */
  abs: string;
  shown: string;
  sha256: string;
  /** Problems reading a valid run's files (e.g. a log line that no longer parses). */
  warnings: string[];
}

export function render(generator: ReportGenerator, input: ReportInput): string {
  switch (generator) {
    case 'compaction-signal':
      return renderCompactionSignal(input);
    case 'summary':
      return renderSummary(input);
    default:
      return assertNever(generator, 'report generator');
  }
}

async function loadRun(o: RunOutcome, warnings: string[], layout: RuntimeLayout): Promise<ReportRun> {
  const c = o.candidate;
  const { events, problem } = await loadEvents(c.events_path);
  if (problem !== null) warnings.push(`${shownPath(layout, c.events_path)}: ${problem}`);
  return { instance_id: c.instance_id, model_id: c.model_id, seed: c.seed, envelope: c.envelope, metrics: readPyDictOrEmpty(c.metrics_path), events };
}

export async function writeReport(layout: RuntimeLayout, req: ReportRequest): Promise<WrittenReport> {
  const abs = path.join(layout.reportsDir, req.fileName);
  const kind = reportKind(req.valid.length, req.minValid);
  const warnings: string[] = [];
  let text: string;
  if (kind === 'awaiting') {
    text = awaitingReport(req.title, req.valid.length, req.minValid, req.excluded);
  } else {
    const runs: ReportRun[] = [];
    for (const o of req.valid) runs.push(await loadRun(o, warnings, layout));
    text = render(req.generator, { title: req.title, subtitle: req.subtitle, run_id: req.runId, runs, excluded: [...req.excluded] });
  }
  fs.mkdirSync(layout.reportsDir, { recursive: true });
  writeFileAtomicSync(abs, text);
  return { kind, generated: kind === 'full', abs, shown: shownPath(layout, abs), sha256: sha256Text(text), warnings };
}
