/** `runr doctor`: every check as data; exit 1 when any fails. */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import type { DoctorOptions } from './project-options.js';
import { paint } from '../../style.js';
import { ExitCode, OutcomeError } from '../../../core/errors.js';
import { doctorReport } from '../../../project/doctor-report.js';

function human(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export async function doctor(ctx: CliContext, _opts: DoctorOptions): Promise<void> {
  const { checks, runs, failed } = await doctorReport(ctx.cwd, ctx.runsDir);
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
