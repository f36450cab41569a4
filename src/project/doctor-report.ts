/** `runr doctor`'s work: every check as data, and the bytes per run (git's view when it can tell). */
import { RunrError } from '../core/errors.js';
import { openStore } from '../store/open-store.js';
import type { CheckResult } from './doctor-types.js';
import { checkContracts, checkGit, checkIgnoreRules, checkLocks, checkWorkflows, runBytes } from './doctor-store.js';

export interface DoctorRunBytes {
  run_id: string;
  record_bytes: number;
  logs_bytes: number;
  tracked_bytes?: number;
  ignored_bytes?: number;
  warnings?: string[];
}

export interface DoctorReport {
  checks: CheckResult[];
  runs: DoctorRunBytes[];
  failed: number;
}

export async function doctorReport(cwd: string, runsDir: string | undefined): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  let store;
  try {
    store = openStore(cwd, runsDir !== undefined ? { runsDir } : {});
    checks.push({ name: 'config', status: 'ok', detail: store.project.hasConfig ? 'parses' : 'no config (defaults in use; `runr init` creates one)' });
  } catch (err) {
    if (!(err instanceof RunrError)) throw err;
    checks.push({ name: 'config', status: 'fail', detail: err.message });
  }
  let runs: DoctorRunBytes[] = store ? runBytes(store) : [];
  if (store) {
    // What git would commit per run (tracked vs ignored), records over budget, large files.
    const { checkRunTracking } = await import('../manifest/tracking.js');
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
    const { checkRunsDir } = await import('./doctor-runs-dir.js');
    checks.push(checkRunsDir(store.project, runsDir !== undefined));
    checks.push(...checkContracts(store.project), ...(await checkWorkflows(store.project)), ...checkGit(store.project), ...checkIgnoreRules(store.project), ...checkLocks(store));
    const { checkMergeDriver } = await import('./doctor-merge-driver.js');
    checks.push(...(await checkMergeDriver(store.project)));
    const { taskDoctorChecks } = await import('../tasks/doctor-checks.js');
    checks.push(...(await taskDoctorChecks(store.project)));
  }
  return { checks, runs, failed: checks.filter((c) => c.status === 'fail').length };
}
