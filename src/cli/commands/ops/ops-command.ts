/**
 * `runr ops` and `runr ops scan|monitor|verify|report`: flags → settings (preset, config) →
 * lifecycle → output, store record and exit code. Exit codes: 0 ok; 1 (ExitCode.failed) the
 * outcome is not trustworthy (too few valid runs, a verification failure, a run that did not
 * finish); 2 invalid input; 130 interrupted. `--exit-zero` keeps the harness's always-0.
 */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { paint } from '../../style.js';
import type { OpsStage } from '../../../core/events/ops.js';
import type { OpsOptions } from './ops-options.js';
import { ExitCode, InterruptedError, OutcomeError, RunrError, assertNever } from '../../../core/errors.js';
import { lifecycleExitCode, notVerifiedReason } from '../../../core/ops/lifecycle-rules.js';
import { allPresets } from '../../../core/ops/presets.js';
import { resolveSettings } from '../../../core/ops/settings.js';
import { TABLE_HEADER, TABLE_RULE, lifecycleLines, tableRow } from '../../../core/ops/table.js';
import { failedChecks } from '../../../core/ops/verify-checks.js';
import { openStore } from '../../../store/open-store.js';
import { openProject, relToRoot } from '../../../store/project.js';
import { loadOpsConfig } from '../../../config/ops-section.js';
import type { RunStore } from '../../../store/run-store.js';
import { parseOpsFlags } from './ops-flags.js';
import { requireRuntimeDir, runtimeLayout } from '../../../ops/runtime-layout.js';
import type { LifecycleResult } from '../../../ops/lifecycle.js';
import { runOps } from '../../../ops/lifecycle.js';
import { ttyProgress } from './ops-progress.js';
import type { OpsRecord } from '../../../ops/record.js';
import { abortRecord, finishRecord, startRecord } from '../../../ops/record.js';
import { resultJson } from '../../../ops/result-json.js';
import { invalidReasonLines } from './ops-reasons.js';

function exitCodeOf(r: LifecycleResult): ExitCode {
  if (r.settings.exitZero) return ExitCode.ok;
  switch (r.stage) {
    case 'scan':
      return ExitCode.ok;
    case 'monitor':
      return r.runs.every((o) => o.candidate.status === 'complete') ? ExitCode.ok : ExitCode.failed;
    case 'verify':
      return r.runs.every((o) => o.verification?.overall.pass === true) ? ExitCode.ok : ExitCode.failed;
    case 'report':
    case 'lifecycle':
      return lifecycleExitCode({ reportGenerated: r.report?.generated === true, verificationFailures: r.classified.failures.length, abandoned: r.runs.filter((o) => o.monitor?.outcome === 'abandoned').length, exitZero: false });
    default:
      return assertNever(r.stage, 'ops stage');
  }
}

function humanLines(r: LifecycleResult, color: boolean): string[] {
  const p = paint(color);
  const rows = [...r.classified.valid, ...r.classified.invalid];
  const regressions = r.classified.failures.map((o) => o.candidate.model_id);
  switch (r.stage) {
    case 'scan': {
      const lines = ['| Model | Instance | Seed | Status |', '|-------|----------|------|--------|'];
      for (const o of r.runs) lines.push(`| ${o.candidate.model_id} | ${o.candidate.instance_id} | ${o.candidate.seed ?? '-'} | ${o.candidate.status} |`);
      const count = (s: string) => r.runs.filter((o) => o.candidate.status === s).length;
      lines.push('', `${r.runs.length} run(s): ${count('active')} active, ${count('incomplete')} incomplete, ${count('complete')} complete, ${count('unreadable')} unreadable`);
      return lines;
    }
    case 'monitor': {
      const lines = ['| Model | Instance | Found | Now | Monitor |', '|-------|----------|-------|-----|---------|'];
      for (const o of r.runs) {
        const m = o.monitor === null ? 'not monitored' : `${o.monitor.outcome} after ${(o.monitor.waited_ms / 1000).toFixed(1)} s${o.monitor.monitor_timeout ? ' (monitor_timeout)' : ''}`;
        lines.push(`| ${o.candidate.model_id} | ${o.candidate.instance_id} | ${o.scan_status} | ${o.candidate.status} | ${m} |`);
      }
      return lines;
    }
    case 'verify': {
      const lines = ['', '=== RunOps Verify Output ===', '', TABLE_HEADER, TABLE_RULE, ...rows.map(tableRow), ''];
      for (const o of r.runs) {
        const who = `${o.candidate.model_id} (${o.candidate.instance_id})`;
        if (o.verification === null) lines.push(`${p.yellow('SKIP')} ${who}: not verified: ${notVerifiedReason(o)}`);
        else if (o.verification.overall.pass) lines.push(`${p.green('PASS')} ${who}`);
        else lines.push(`${p.red('FAIL')} ${who}: ${failedChecks(o.verification).join(', ')}`);
      }
      return lines;
    }
    case 'report':
    case 'lifecycle':
      return lifecycleLines({
        label: r.settings.recommend ? r.settings.label : 'RunOps',
        rows,
        regressions,
        recommendation: r.recommendation,
        reportPath: r.report?.shown ?? '(none)',
      });
    default:
      return assertNever(r.stage, 'ops stage');
  }
}

function tryOpenStore(ctx: CliContext): RunStore | null {
  try {
    return openStore(ctx.cwd);
  } catch (err) {
    ctx.err(`warning: this invocation is not recorded: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

async function settle(ctx: CliContext, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    ctx.err(`warning: ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function opsCommand(stage: OpsStage, ctx: CliContext, opts: OpsOptions): Promise<void> {
  const startedAt = new Date();
  const flags = parseOpsFlags(opts);
  const store = stage === 'scan' || !opts.record ? null : tryOpenStore(ctx);
  // The config's `ops` section: user presets and a default runtime dir.
  const project = store?.project ?? openProject(ctx.cwd);
  const opsConfig = loadOpsConfig(project);
  const { settings, notes } = resolveSettings(flags, allPresets(opsConfig), opsConfig?.runtime_dir);
  for (const n of notes) ctx.err(`note: ${n}`);
  const layout = runtimeLayout(ctx.cwd, settings.runtimeDir);
  requireRuntimeDir(layout);

  let rec: OpsRecord | null = null;
  if (store !== null) {
    try {
      rec = await startRecord(store, stage, settings, layout.root);
    } catch (err) {
      ctx.err(`warning: this invocation is not recorded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const progress = ttyProgress(process.stderr, settings.timeoutSec);
  let result: LifecycleResult;
  try {
    result = await runOps(stage, settings, { cwd: ctx.cwd, signal: ctx.signal, onMonitor: (p) => progress.update(p) });
  } catch (err) {
    progress.stop();
    const code = err instanceof RunrError ? err.exitCode : ExitCode.internal;
    if (rec !== null) {
      const r = rec;
      await settle(ctx, 'recording the failed invocation', () => abortRecord(r, stage, settings, layout.root, code));
    }
    throw err;
  }
  progress.stop();
  for (const o of result.runs) if (o.candidate.error !== null) ctx.err(`warning: ${o.candidate.error}`);
  for (const w of result.warnings) ctx.err(`warning: ${w}`);
  const exitCode = result.canceled ? ExitCode.interrupted : exitCodeOf(result);
  if (rec !== null) {
    const r = rec;
    await settle(ctx, 'recording this invocation', () => finishRecord(r, result, exitCode));
  }
  const html = opts.html !== undefined && opts.html !== '' ? opts.html : null;
  if (html !== null) {
    const { writeOpsPage } = await import('../../../view/ops-page.js');
    const page = await writeOpsPage(result, { cwd: ctx.cwd, project, out: html, opsRunId: rec?.runId ?? null, exitCode, startedAt });
    ctx.err(`wrote ${relToRoot(project, page.file)} (${(page.bytes / 1024).toFixed(1)} KB)`);
  }
  emit(ctx, resultJson(result, { opsRunId: rec?.runId ?? null, notes, exitCode }), () => humanLines(result, ctx.color));
  if (!ctx.json && (stage === 'lifecycle' || stage === 'report')) for (const line of invalidReasonLines(result.classified.invalid)) ctx.err(line);
  if (result.canceled) throw new InterruptedError('interrupted while monitoring');
  if (exitCode !== ExitCode.ok) throw new OutcomeError('', exitCode);
}
