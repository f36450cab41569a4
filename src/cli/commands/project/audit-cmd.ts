/** `runr audit <run>`: prove the record is intact and the outputs are what was recorded. */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { paint } from '../../style.js';
import { ExitCode, OutcomeError } from '../../../core/errors.js';
import { validateRunIdArg } from '../../../core/ids.js';
import { storeFor } from '../store-opts.js';
import type { AuditOptions } from './project-options.js';
import { auditRun } from '../../../project/audit-run.js';

export async function audit(ctx: CliContext, runArg: string, _opts: AuditOptions): Promise<void> {
  validateRunIdArg(runArg, '<run>');
  const store = storeFor(ctx);
  const runId = store.resolve(runArg, '<run>');
  const report = await auditRun(store, runId);
  const p = paint(ctx.color);
  const mark = (ok: boolean) => (ok ? p.green('✓') : p.red('✗'));
  emit(ctx, report, () => [
    `audit ${runId}`,
    report.journal.present
      ? `${mark(report.journal.chain_ok)} journal: ${report.journal.events} events, hash chain ${report.journal.chain_ok ? 'intact' : 'BROKEN'}`
      : `${p.yellow('!')} journal: none (record written by another tool)`,
    ...report.journal.problems.map((x) => `    line ${x.line}: ${x.problem}`),
    ...(report.journal.torn_line !== null ? [`${p.red('✗')} journal: torn last line ${report.journal.torn_line} (ignored)`] : []),
    `${mark(report.snapshot.in_step)} snapshot: ${report.snapshot.detail}`,
    `${mark(report.attempt_files.mismatched.length === 0)} attempt files: ${report.attempt_files.checked} checked${report.attempt_files.mismatched.length > 0 ? `, ${report.attempt_files.mismatched.join('; ')}` : ', all match RUN.json'}`,
    `${mark(report.artifacts.every((a) => a.status === 'ok'))} artifacts: ${report.artifacts.length} re-hashed`,
    ...report.artifacts.map((a) => `    ${a.status === 'ok' ? p.green('ok   ') : p.red(a.status.padEnd(5))} ${a.path}${a.status === 'drift' ? ` (recorded ${a.expected.slice(0, 12)}…, now ${a.actual?.slice(0, 12) ?? ''}…)` : ''}`),
    ...report.overrides.map((o) => `${p.yellow('!')} override: marked ${o.status} with --force over failed blocking gate${o.gates.length > 1 ? 's' : ''} ${o.gates.join(', ')} (event ${o.seq}, ${o.ts})`),
    report.ok ? p.green('audit passed') : p.red('audit found problems'),
  ]);
  if (!report.ok) throw new OutcomeError('', ExitCode.failed);
}
