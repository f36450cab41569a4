/**
 * RunOps: scan → monitor → verify → report, or one stage alone. Returns the outcome as data;
 * printing, exit codes and the store record are the command's business (src/cli/commands/ops/ops-command.ts).
 *
 * Stages: `scan` lists; `monitor` waits for active/incomplete runs; `verify` verifies every run
 * that is not active; `report` verifies complete runs and writes the report without waiting;
 * `lifecycle` does it all, verifying the runs that are complete after monitoring (the harness's flow).
 */
import type { OpsStage } from '../core/events/ops.js';
import type { Classified } from '../core/ops/lifecycle-rules.js';
import { classify, excludedOf } from '../core/ops/lifecycle-rules.js';
import { wrapperRecommendation } from '../core/ops/recommend.js';
import { modelMatches } from '../core/ops/scan-rules.js';
import type { OpsSettings } from '../core/ops/settings.js';
import type { Candidate, MonitorResult, RunOutcome, ScanStatus } from '../core/ops/types.js';
import type { Clock } from './clock.js';
import type { RuntimeLayout } from './runtime-layout.js';
import { requireRuntimeDir, runtimeLayout } from './runtime-layout.js';
import { monitorAll } from './monitor.js';
import type { WrittenReport } from './report.js';
import { writeReport } from './report.js';
import { scan } from './scan.js';
import { verifyAll } from './verify.js';
import type { WatchFactory } from './watch.js';

export interface LifecycleDeps {
  cwd: string;
  signal?: AbortSignal;
  clock?: Clock;
  watch?: WatchFactory | null;
  /** Monitoring progress: called when monitoring starts and each time a run is judged. */
  onMonitor?: (p: { total: number; judged: number }) => void;
}

export interface LifecycleResult {
  stage: OpsStage;
  settings: OpsSettings;
  layout: RuntimeLayout;
  /** Each run with its scan status (before monitoring). */
  runs: Array<RunOutcome & { scan_status: ScanStatus }>;
  classified: Classified;
  report: WrittenReport | null;
  /** The phase-4B wrapper's recommendation (`--recommend`), else null. */
  recommendation: string | null;
  warnings: string[];
  canceled: boolean;
}

const WAITS: ReadonlySet<ScanStatus> = new Set(['active', 'incomplete']);

function toVerify(stage: OpsStage, c: Candidate): boolean {
  switch (stage) {
    case 'scan':
    case 'monitor':
      return false;
    case 'verify':
      return c.status === 'complete' || c.status === 'incomplete';
    case 'report':
    case 'lifecycle':
      return c.status === 'complete';
  }
}

export async function runOps(stage: OpsStage, settings: OpsSettings, deps: LifecycleDeps): Promise<LifecycleResult> {
  const layout = runtimeLayout(deps.cwd, settings.runtimeDir);
  requireRuntimeDir(layout);
  const scanned = scan(layout, { runId: settings.runId, seed: settings.seed, models: settings.models });
  const warnings = [...scanned.warnings];
  const cands = scanned.candidates;
  const scanStatus = new Map<Candidate, ScanStatus>(cands.map((c) => [c, c.status]));

  const monitors = new Map<Candidate, MonitorResult>();
  if (stage === 'monitor' || stage === 'lifecycle') {
    const waiting = cands.filter((c) => WAITS.has(c.status));
    let judged = 0;
    if (waiting.length > 0) deps.onMonitor?.({ total: waiting.length, judged });
    const results = await monitorAll(waiting, {
      pollMs: settings.pollSec * 1000,
      timeoutMs: settings.timeoutSec * 1000,
      staleAfterMs: settings.staleAfterSec * 1000,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.watch !== undefined ? { watch: deps.watch } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      onJudged: () => deps.onMonitor?.({ total: waiting.length, judged: ++judged }),
    });
    waiting.forEach((c, i) => monitors.set(c, results[i] as MonitorResult));
  }
  const canceled = deps.signal?.aborted === true;
  // A run found by its temp file alone had no model id to filter on; filter again now that it is known.
  const models = settings.models === null ? null : new Set(settings.models);
  const kept = cands.filter((c) => c.status === 'unreadable' || c.envelope.size === 0 || modelMatches(c.envelope, models));

  const verifying = canceled ? [] : kept.filter((c) => toVerify(stage, c));
  const verifications = await verifyAll(layout, verifying, {
    strictTmp: settings.strictTmp,
    external:
      settings.verifier === null
        ? null
        : { argv: settings.verifier, timeoutMs: settings.verifierTimeoutSec * 1000, runtimeDir: layout.root, cwd: deps.cwd, ...(deps.signal ? { signal: deps.signal } : {}) },
  });
  const verOf = new Map(verifying.map((c, i) => [c, verifications[i]]));

  const runs = kept.map((c) => {
    const verification = verOf.get(c) ?? null;
    return {
      candidate: c,
      scan_status: scanStatus.get(c) as ScanStatus,
      monitor: monitors.get(c) ?? null,
      verification,
      verifier_pass: verification?.overall.pass === true,
    };
  });
  const classified = classify(runs);

  let report: WrittenReport | null = null;
  if ((stage === 'report' || stage === 'lifecycle') && !canceled) {
    report = await writeReport(layout, {
      generator: settings.report,
      title: settings.title,
      subtitle: settings.subtitle,
      runId: settings.runId,
      fileName: settings.reportFilename,
      minValid: settings.minValid,
      valid: classified.valid,
      excluded: excludedOf(classified.invalid),
    });
    warnings.push(...report.warnings);
  }
  const recommendation = settings.recommend ? wrapperRecommendation(settings.label, classified.valid, classified.failures.length) : null;
  return { stage, settings, layout, runs, classified, report, recommendation, warnings, canceled };
}
