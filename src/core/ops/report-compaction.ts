/**
 * The `compaction-signal` report: the harness's `compaction_signal_report`, same sections, tables,
 * aggregation and recommendation, printed with Python's number and repr formatting so the same runs
 * give the same text. Kept quirks: the report is keyed by model (two runs of one model overwrite
 * each other in the per-model parts), and it ends with `---` and no newline. runr adds an
 * `## Excluded runs` section (before the final `---`) only when some runs were left out.
 */
import type { PyDict, PyNum, PyValue } from './pyvalue.js';
import { PyTuple, asNum, isDict, pyAdd, pyEquals, pyGet, pyGt, pyLen, pyMax, pySum, pyTruthy } from './pyvalue.js';
import { pyFloatRepr, pyFormatFixed } from './pyfloat.js';
import { pyRepr, pyStr } from './pyrepr.js';
import { compareCodePoints } from './pyjson-dumps.js';
import { pyDurationSeconds } from './pydatetime.js';
import { excludedSection } from './report-blocks.js';
import type { ReportInput } from './report-input.js';

type TopCase = [case_id: PyValue, dropped: number, model: PyValue];

interface PerModel {
  applied: PyValue;
  rate: PyValue;
  dropped: PyValue;
  savings: PyValue;
  rules: Map<string, [PyValue, bigint]>;
  top: TopCase[];
  benefit: PyValue;
  stabilization: PyValue;
  breach: PyValue;
  runtime: number;
  schema: PyValue;
  hash: PyValue;
}

const dicts = (events: readonly PyValue[]): PyDict[] => events.filter(isDict);

/** Python-style dict key identity for values that are normally strings. */
const keyOf = (v: PyValue): string => (typeof v === 'string' ? `s${v}` : `r${pyRepr(v)}`);

function rulesApplied(events: readonly PyDict[]): Map<string, [PyValue, bigint]> {
  const counts = new Map<string, [PyValue, bigint]>();
  for (const ev of events) {
    if (!pyEquals(pyGet(ev, 'stage'), 'plan_compaction')) continue;
    const rules = pyGet(ev, 'rules_applied', []);
    for (const rule of Array.isArray(rules) ? rules : []) {
      const k = keyOf(rule);
      const prev = counts.get(k);
      counts.set(k, [rule, (prev?.[1] ?? 0n) + 1n]);
    }
  }
  return counts;
}

function failuresByCase(events: readonly PyDict[]): PyDict[] {
  const status = new Map<string, PyDict>();
  const flag = (caseId: PyValue, name: string) => {
    const k = keyOf(caseId);
    let d = status.get(k);
    if (!d) {
      d = new Map<string, PyValue>([['case_id', caseId]]);
      status.set(k, d);
    }
    d.set(name, true);
  };
  for (const ev of events) {
    const caseId = pyGet(ev, 'case_id', '');
    if (!pyTruthy(caseId)) continue;
    const stage = pyGet(ev, 'stage');
    if (pyEquals(stage, 'adapter_invocation') && !pyEquals(pyGet(ev, 'adapter_status'), 'success')) flag(caseId, 'adapter_fail');
    if (pyEquals(stage, 'state_validation') && pyGet(ev, 'integrity_ok') === false) flag(caseId, 'integrity_fail');
    if (pyEquals(stage, 'plan_parse_failure')) flag(caseId, 'parse_fail');
  }
  return [...status.values()];
}

const byDroppedDesc = (a: TopCase, b: TopCase) => b[1] - a[1];

function compactedCases(events: readonly PyDict[], caseDefault: PyValue | undefined, model: (ev: PyDict) => PyValue): TopCase[] {
  const out: TopCase[] = [];
  for (const ev of events) {
    if (!pyEquals(pyGet(ev, 'stage'), 'plan_compaction')) continue;
    const dropped = pyLen(pyGet(ev, 'dropped_action_ids', []));
    if (dropped > 0) out.push([caseDefault === undefined ? pyGet(ev, 'case_id') : pyGet(ev, 'case_id', caseDefault), dropped, model(ev)]);
  }
  return out;
}

function recommendation(breach: PyNum, dropped: PyNum, runs: number): string {
  if (pyGt(breach, 0n)) return '**Abort** — sandbox_integrity_breach_rate > 0.';
  if (pyGt(dropped, 0n)) return '**Run full ladder** — compaction signal positive, safety invariants intact.';
  if (runs >= 2) return '**Do not run full ladder** — compaction_rate=0. Consider expand compaction rules.';
  return '**Incomplete** — awaiting valid artifacts.';
}

const rulesRepr = (rules: Map<string, [PyValue, bigint]>): string =>
  `{${[...rules.values()].map(([k, c]) => `${pyRepr(k)}: ${c}`).join(', ')}}`;

export function renderCompactionSignal(input: ReportInput): string {
  let applied: PyNum = 0n;
  let totalPlanned: PyNum = 0n;
  let dropped: PyNum = 0n;
  let savings: PyNum = 0n;
  const rules = new Map<string, [PyValue, bigint]>();
  const allTop: TopCase[] = [];
  const benefit: PyNum[] = [];
  const stabilization: PyNum[] = [];
  const breach: PyNum[] = [];
  const failures: PyDict[] = [];
  const schemas: PyValue[] = [];
  const perModel = new Map<string, PerModel>();

  for (const run of input.runs) {
    const m = run.metrics;
    const get = (k: string) => pyGet(m, k, 0n);
    const events = dicts(run.events);
    const modelId = pyGet(run.envelope, 'model_id', '');
    applied = pyAdd(applied, asNum(get('compaction_applied_count')));
    dropped = pyAdd(dropped, asNum(get('dropped_action_count')));
    savings = pyAdd(savings, asNum(get('compaction_token_savings_est')));
    totalPlanned = pyAdd(totalPlanned, pyAdd(asNum(get('total_actions_planned')), asNum(get('dropped_action_count'))));
    benefit.push(asNum(get('benefit_completion_rate')));
    stabilization.push(asNum(get('stabilization_intervention_rate')));
    breach.push(asNum(get('sandbox_integrity_breach_rate')));
    const runRules = rulesApplied(events);
    for (const [k, [rule, c]] of runRules) rules.set(k, [rule, (rules.get(k)?.[1] ?? 0n) + c]);
    allTop.push(...compactedCases(events, '', (ev) => pyGet(ev, 'model_id', modelId)));
    failures.push(...failuresByCase(events));
    const schema = pyGet(run.envelope, 'schema_version', '');
    schemas.push(schema);
    perModel.set(pyStr(modelId), {
      applied: get('compaction_applied_count'),
      rate: get('compaction_rate'),
      dropped: get('dropped_action_count'),
      savings: get('compaction_token_savings_est'),
      rules: runRules,
      top: compactedCases(events, undefined, () => modelId).sort(byDroppedDesc).slice(0, 10),
      benefit: get('benefit_completion_rate'),
      stabilization: get('stabilization_intervention_rate'),
      breach: get('sandbox_integrity_breach_rate'),
      runtime: pyDurationSeconds(pyGet(run.envelope, 'run_start_ts_utc', ''), pyGet(run.envelope, 'run_end_ts_utc', '')) ?? 0,
      schema,
      hash: pyGet(run.envelope, 'execution_log_hash', ''),
    });
  }

  const maxPlanned: PyNum = pyGt(1n, totalPlanned) ? 1n : totalPlanned;
  const rate = pyTruthy(totalPlanned) ? Number(dropped) / Number(maxPlanned) : 0;
  const mean = (xs: PyNum[]) => (xs.length > 0 ? Number(pySum(xs)) / xs.length : 0);
  const breachMax: PyNum = pyMax(breach) ?? 0;
  const top = [...allTop].sort(byDroppedDesc).slice(0, 10);
  const models = [...perModel.entries()].sort(([a], [b]) => compareCodePoints(a, b));

  const lines = [
    `# ${input.title}`,
    '',
    input.subtitle !== null && input.subtitle !== '' ? input.subtitle : `Run ID: ${input.run_id}. Aggregated compaction metrics.`,
    '',
    '---',
    '',
    '## Summary table',
    '',
    '| Model | compaction_applied | compaction_rate | dropped | token_savings | runtime (s) | schema | execution_log_hash |',
    '|-------|--------------------|-----------------|---------|---------------|-------------|--------|--------------------|',
  ];
  for (const [mid, pm] of models) {
    const h = [...(pyTruthy(pm.hash) ? pyStr(pm.hash) : '')].slice(0, 16).join('');
    lines.push(
      `| ${mid} | ${pyStr(pm.applied)} | ${pyFormatFixed(asNum(pm.rate), 4)} | ${pyStr(pm.dropped)} | ${pyStr(pm.savings)} | ` +
        `${pyFormatFixed(pm.runtime, 0)} | ${pyStr(pm.schema)} | ${h}... |`,
    );
  }
  lines.push('', '## Per-model breakdown', '');
  for (const [mid, pm] of models) {
    lines.push(
      `### ${mid}`,
      '',
      `- compaction_applied_count: ${pyStr(pm.applied)}`,
      `- compaction_rate: ${pyStr(pm.rate)}`,
      `- dropped_action_count: ${pyStr(pm.dropped)}`,
      `- rules_applied: ${rulesRepr(pm.rules)}`,
      `- top compacted case_ids: ${pyRepr(pm.top.map(([c, d]) => new PyTuple([c, BigInt(d)])))}`,
      `- benefit_completion_rate: ${pyStr(pm.benefit)}`,
      `- stabilization_intervention_rate: ${pyStr(pm.stabilization)}`,
      `- sandbox_integrity_breach_rate: ${pyStr(pm.breach)}`,
      `- total_runtime_seconds: ${pyFormatFixed(pm.runtime, 0)}`,
      `- execution_log_hash: ${pyStr(pm.hash)}`,
      '',
    );
  }
  const ruleLines = [...rules.values()]
    .sort(([a, ca], [b, cb]) => compareCodePoints(pyStr(a), pyStr(b)) || (ca < cb ? -1 : ca > cb ? 1 : 0))
    .map(([r, c]) => `- ${pyStr(r)}: ${c}`);
  lines.push(
    '## Aggregated metrics',
    '',
    `- compaction_applied_count: ${pyStr(applied)}`,
    `- compaction_rate: ${pyFloatRepr(rate)}`,
    `- dropped_action_count: ${pyStr(dropped)}`,
    `- compaction_token_savings_est: ${pyStr(savings)}`,
    '',
    '## Rules applied (A-D)',
    '',
    ...(ruleLines.length > 0 ? ruleLines : ['- (none applied)']),
    '',
    '## Top 10 case_ids by dropped_action_count',
    '',
    '| case_id | dropped | model |',
    '|---------|---------|-------|',
    ...top.map(([c, d, mid]) => `| ${pyStr(c)} | ${d} | ${pyStr(mid)} |`),
    ...(top.length === 0 ? ['| (none) | - | - |'] : []),
    '',
    '## Benefit & stabilization',
    '',
    `- benefit_completion_rate: ${pyFloatRepr(mean(benefit))}`,
    `- stabilization_intervention_rate: ${pyFloatRepr(mean(stabilization))}`,
    `- sandbox_integrity_breach_rate: ${pyStr(breachMax)}`,
    '',
    '## Failures (if any)',
    '',
    ...(failures.length > 0 ? failures.map((f) => `- case_id=${pyStr(f.get('case_id'))}: ${pyRepr(f)}`) : ['- None']),
    '',
    '## Recommendation',
    '',
    recommendation(breachMax, dropped, input.runs.length),
    '',
    '## Artifacts',
    '',
    `- Runs found: ${input.runs.length}`,
    `- schema_version: ${pyRepr(schemas)}`,
    '',
    ...excludedSection(input.excluded),
    '---',
  );
  return lines.join('\n');
}
