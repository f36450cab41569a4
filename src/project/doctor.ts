/** `runr doctor`: every check as data; exit 1 when any fails. */
import type { CliContext } from '../cli/context.js';
import { emit } from '../cli/context.js';
import { optStr } from '../cli/options.js';
import { paint } from '../cli/style.js';
import { ExitCode, OutcomeError, RunrError } from '../core/errors.js';
import { openStore } from '../store/open-store.js';
import type { CheckResult } from './doctor-types.js';
import { checkContracts, checkGit, checkIgnoreRules, checkLocks, checkWorkflows, runBytes } from './doctor-store.js';

function human(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export async function doctor(ctx: CliContext, opts: Record<string, unknown>): Promise<void> {
  const checks: CheckResult[] = [];
  const runsDir = optStr(opts, 'runsDir');
  let store;
  try {
    store = openStore(ctx.cwd, runsDir !== undefined ? { runsDir } : {});
    checks.push({ name: 'config', status: 'ok', detail: store.project.hasConfig ? 'parses' : 'no config (defaults in use; `runr init` creates one)' });
  } catch (err) {
    if (!(err instanceof RunrError)) throw err;
    checks.push({ name: 'config', status: 'fail', detail: err.message });
  }
  let runs: Array<{ run_id: string; record_bytes: number; logs_bytes: number; tracked_bytes?: number; ignored_bytes?: number; warnings?: string[] }> = store ? runBytes(store) : [];
  if (store) {
    // What git would commit per run (tracked vs ignored), records over budget, large files.
    const { checkRunTracking } = await import('../store/manifest/tracking.js');
    const tracking = checkRunTracking(store.runsDir);
    if (tracking.git) {
      const byId = new Map(tracking.runs.map((t) => [t.run_id, t]));
      runs = runs.map((r) => {
        const t = byId.get(r.run_id);
        return t ? { ...r, tracked_bytes: t.tracked_bytes, ignored_bytes: t.ignored_bytes, warnings: t.warnings } : r;
      });
      const warnings = [...tracking.warnings, ...tracking.runs.flatMap((t) => t.warnings.map((w) => `${t.run_id}: ${w}`))];
      checks.push(
        warnings.length === 0
          ? { name: 'tracking', status: 'ok', detail: `records within budget; manifest ${tracking.manifest}` }
          : { name: 'tracking', status: 'warn', detail: warnings.join('; '), hint: 'keep big outputs in logs/ (ignored) or out of the runs directory' },
      );
    }
  }
  if (store) {
    checks.push(...checkContracts(store.project), ...(await checkWorkflows(store.project)), ...checkGit(store.project), ...checkIgnoreRules(store.project), ...checkLocks(store));
    const { taskDoctorChecks } = await import('../tasks/doctor-checks.js');
    checks.push(...(await taskDoctorChecks(store.project)));
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const p = paint(ctx.color);
  emit(
    ctx,
    { ok: failed === 0, checks, runs },
    () => [
      ...checks.map((c) => `${c.status === 'ok' ? p.green('✓') : c.status === 'warn' ? p.yellow('!') : p.red('✗')} ${c.name}: ${c.detail}${c.hint ? p.dim(`  (${c.hint})`) : ''}`),
      ...(runs.length > 0
        ? [
            '',
            'bytes per run (git would commit / ignores):',
            ...runs.map((r) => `  ${r.run_id}  ${r.tracked_bytes !== undefined ? `committed ${human(r.tracked_bytes)}  ignored ${human(r.ignored_bytes ?? 0)}` : `record ${human(r.record_bytes)}  logs ${human(r.logs_bytes)}`}`),
          ]
        : []),
      '',
      failed === 0 ? 'doctor: all checks passed' : `doctor: ${failed} check(s) failed`,
    ],
  );
  if (failed > 0) throw new OutcomeError('', ExitCode.failed);
}
