/** Human renderings of runs (pure string building). */
import type { Paint } from '../../style.js';
import type { Attempt, GateRecord, RunRecord, ValidationResult } from '../../../core/schemas/run.js';

export function statusIcon(status: string, p: Paint): string {
  switch (status) {
    case 'PASSED':
    case 'PASS':
      return p.green('✓');
    case 'FAILED':
    case 'FAIL':
      return p.red('✗');
    case 'RUNNING':
      return p.yellow('▶');
    case 'STOPPED':
      return p.yellow('■');
    case 'CANCELED':
      return p.dim('⊘');
    default:
      return p.dim('·');
  }
}

export function renderRunList(runs: ReadonlyArray<Pick<RunRecord, 'status' | 'run_id' | 'started_at'> & { workflow: { name: string }; gates: ReadonlyArray<{ status: string }> }>, p: Paint): string[] {
  if (runs.length === 0) return ['no runs'];
  const lines = [p.bold('  STATUS    RUN ID                                                 WORKFLOW          STARTED                   GATES')];
  for (const r of runs) {
    const passed = r.gates.filter((g) => g.status === 'PASS').length;
    lines.push(
      `${statusIcon(r.status, p)} ${r.status.padEnd(9)} ${r.run_id.padEnd(54)} ${r.workflow.name.padEnd(17)} ${r.started_at.padEnd(25)} ${r.gates.length > 0 ? `${passed}/${r.gates.length} passed` : '-'}`,
    );
  }
  return lines;
}

function renderValidation(v: ValidationResult, p: Paint): string {
  const mark = v.warning === true ? p.yellow('!') : v.pass ? p.green('✓') : p.red('✗');
  const where = typeof v.path === 'string' ? ` ${v.path}` : Array.isArray(v.argv) ? ` ${v.argv.join(' ')}` : '';
  let extra = '';
  if (v.type === 'min_sources') extra = ` (${String(v.count)}/${String(v.threshold)}, depth ${String(v.depth)})`;
  if (Array.isArray(v.missing) && v.missing.length > 0) extra = ` (missing: ${v.missing.join(', ')})`;
  if (v.type === 'file_exists_any_of' && Array.isArray(v.checked)) extra = ` (${v.checked.map((c: { path?: string; exists?: boolean }) => `${c.path}${c.exists ? ' ✓' : ''}`).join(' | ')})`;
  return `        ${mark} ${v.type}${where}${extra}`;
}

function renderAttempt(a: Attempt, p: Paint): string[] {
  const lines = [`    attempt ${a.attempt}: ${statusIcon(a.status, p)} ${a.status} by ${a.agent}${a.finished_at ? ` (${a.started_at} → ${a.finished_at})` : ` (started ${a.started_at})`}`];
  for (const v of a.validations) lines.push(renderValidation(v, p));
  if (a.artifacts.length > 0) lines.push(`      artifacts: ${a.artifacts.length} hashed (${a.artifacts.map((x) => `${x.path.split('/').pop() ?? x.path} ${x.sha256.slice(0, 12)}`).join(', ')})`);
  if (a.failure_reason) lines.push(`      ${p.red('reason:')} ${a.failure_reason}`);
  if (a.invocation_ids.length > 0) lines.push(`      invocations: ${a.invocation_ids.join(', ')}`);
  if (a.revalidations && a.revalidations.length > 0) lines.push(`      re-validated ${a.revalidations.length}× (earlier: ${a.revalidations.map((r) => r.status).join(', ')})`);
  return lines;
}

function renderGate(g: GateRecord, p: Paint): string[] {
  return [`  ${statusIcon(g.status, p)} ${g.gate} ${g.name} — ${g.status}`, ...g.attempts.flatMap((a) => renderAttempt(a, p))];
}

export function renderRun(run: RunRecord, runDir: string, p: Paint): string[] {
  const lines = [
    `${p.bold(run.run_id)}  ${statusIcon(run.status, p)} ${run.status}`,
    `  workflow: ${run.workflow.name} (${run.workflow.version})  slug: ${run.workflow.slug}  depth: ${run.depth}`,
    `  artifact path: ${run.workflow.artifact_path}`,
    `  started: ${run.started_at}${run.finished_at ? `  finished: ${run.finished_at}` : ''}`,
    `  record: ${runDir}/record/RUN.json`,
    ...run.events.filter((e) => e.type === 'RUN_STATUS_FORCED').map((e) => `  ${p.yellow('! forced:')} ${typeof e.message === 'string' ? e.message : 'status set with --force'} (${e.timestamp})`),
    '',
    'gates:',
    ...run.gates.flatMap((g) => renderGate(g, p)),
  ];
  if (run.invocations.length > 0) {
    lines.push('', 'invocations:');
    for (const i of run.invocations) lines.push(`  ${i.invocation_id} ${i.gate} ${i.agent} ${i.status}${i.duration_ms ? ` ${i.duration_ms} ms` : ''}`);
  }
  if (run.artifacts_index.length > 0) {
    lines.push('', 'artifacts:');
    for (const a of run.artifacts_index) lines.push(`  ${a.sha256.slice(0, 16)}  ${a.path}  (${a.gate})`);
  }
  return lines;
}
