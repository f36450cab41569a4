/**
 * Bad input (issue 11): malformed manifest.yaml, pipeline.yaml, runs.csv, ids, overrides, templates
 * escaping the study directory, a stage cycle → exit 2, one line naming the file and the field (or
 * line), no stack trace, and nothing written (the tree is byte- and mtime-identical afterwards).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STUDY, makeStudy, newBatch, removeRepo, snapshotTree, st, studyPath } from './helpers.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

let dir = '';
let batch = '';
const V = 'vr-base-default-s42';
const manifestFile = () => studyPath(dir, 'batches', batch, 'manifest.yaml');
const pipelineFile = () => studyPath(dir, 'pipeline.yaml');

beforeAll(() => {
  dir = makeStudy();
  batch = newBatch(dir, ['--seeds', '42']);
  // Run it once, so a bad input must also leave existing results, records and the registry alone.
  const r = st(['batch', 'run', STUDY, batch], dir);
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => removeRepo(dir));

/** Problems of one case (empty: exit 2, the expected one-line message, no stack, no stdout, nothing written). */
function problemsOf(args: string[], re: RegExp): string[] {
  const before = snapshotTree(dir);
  const r = st(args, dir);
  const out: string[] = [];
  if (r.status !== 2) out.push(`exit ${r.status}`);
  if (!re.test(r.stderr)) out.push(`stderr ${JSON.stringify(r.stderr)} does not match ${re}`);
  if (r.stderr.trim().split('\n').length !== 1) out.push(`stderr is not one line: ${JSON.stringify(r.stderr)}`);
  if (/\n\s+at /.test(r.stderr)) out.push('a stack trace');
  if (r.stdout !== '') out.push(`stdout ${JSON.stringify(r.stdout)}`);
  if (snapshotTree(dir) !== before) out.push('something was written');
  return out.map((p) => `runr ${args.join(' ')}: ${p}`);
}

function expectExit2(args: string[], re: RegExp): void {
  expect(problemsOf(args, re)).toEqual([]);
}

/** Replace a file's text for one case, then put it back exactly (content and mtime). */
function withFile(file: string, edit: (text: string) => string, fn: () => void): void {
  const text = fs.readFileSync(file, 'utf8');
  const st0 = fs.statSync(file);
  fs.writeFileSync(file, edit(text));
  try {
    fn();
  } finally {
    fs.writeFileSync(file, text);
    fs.utimesSync(file, st0.atime, st0.mtime);
  }
}

const M = 'manifest\\.yaml';
const MANIFEST_CASES: Array<[string, (t: string) => string, RegExp]> = [
  ['not YAML', () => 'variants: [\n', new RegExp(`${M}: line \\d+: not valid YAML`)],
  ['empty', () => '', new RegExp(`${M}: \\(root\\)`)],
  ['a list at the root', () => '- a\n', new RegExp(`${M}: \\(root\\): expected an object`)],
  ['study of another study', (t) => t.replace(/^study: .*$/m, 'study: other-study'), new RegExp(`${M}: study: is other-study`)],
  ['study not kebab-case', (t) => t.replace(/^study: .*$/m, 'study: Bad_Study'), new RegExp(`${M}: study: `)],
  ['batch id malformed', (t) => t.replace(/^batch_id: .*$/m, 'batch_id: batch-1'), new RegExp(`${M}: batch_id: `)],
  ['batch id of another batch', (t) => t.replace(/^batch_id: .*$/m, 'batch_id: b20200101-0000-other-v01'), new RegExp(`${M}: batch_id: is b20200101-0000-other-v01`)],
  ['scenario_rev malformed', (t) => t.replace(/^scenario_rev: .*$/m, 'scenario_rev: scn-1'), new RegExp(`${M}: scenario_rev: `)],
  ['config_rev malformed', (t) => t.replace(/^config_rev: .*$/m, 'config_rev: config-v01'), new RegExp(`${M}: config_rev: `)],
  ['created_at not a UTC time', (t) => t.replace(/^created_at: .*$/m, 'created_at: yesterday'), new RegExp(`${M}: created_at: expected a UTC time`)],
  ['no variants', (t) => t.replace(/^variants:[\s\S]*$/m, 'variants: []\n'), new RegExp(`${M}: variants: `)],
  ['variant id malformed', (t) => t.replace(`id: ${V}`, 'id: variant-42'), new RegExp(`${M}: variants\\[0\\]\\.id: `)],
  ['variant id not matching its seed', (t) => t.replace(`id: ${V}`, 'id: vr-base-default-s43'), new RegExp(`${M}: variants\\[0\\]\\.id: must end in -s42`)],
  ['seed not an integer', (t) => t.replace(/seed: 42$/m, 'seed: forty-two'), new RegExp(`${M}: variants\\[0\\]\\.seed: `)],
  ['unknown variant key', (t) => t.replace(`id: ${V}`, `id: ${V}\n    note: x`), new RegExp(`${M}: variants\\[0\\].*note`)],
  ['override of an unknown param', (t) => t.replace(/overrides: \{\}/, 'overrides: {nope: 1}'), /nope/],
  ['override not a scalar', (t) => t.replace(/overrides: \{\}/, 'overrides: {threshold: {a: 1}}'), new RegExp(`${M}: variants\\[0\\]\\.overrides\\.threshold: `)],
  ['override of a reserved name', (t) => t.replace(/overrides: \{\}/, 'overrides: {seed: 1}'), new RegExp(`${M}: variants\\[0\\]\\.overrides.*seed`)],
  ['base path escaping the study', (t) => t.replace(/^(\s+population_spec: ).*$/m, '$1../../../etc/passwd'), new RegExp(`${M}: base_paths\\.population_spec: .* is not inside the study directory`)],
  ['base path absolute', (t) => t.replace(/^(\s+population_spec: ).*$/m, '$1/etc/passwd'), new RegExp(`${M}: base_paths\\.population_spec: .* is not inside the study directory`)],
];

const P = 'pipeline\\.yaml';
const PIPELINE_CASES: Array<[string, (t: string) => string, RegExp]> = [
  ['not YAML', () => 'stages: {\n', new RegExp(`${P}: line \\d+: not valid YAML`)],
  ['unknown stage key', (t) => t.replace('  sample:\n', '  sample:\n    command: [x]\n'), new RegExp(`${P}: stages\\.sample.*command`)],
  ['stage without cmd', () => 'stages:\n  a:\n    deps: []\n', new RegExp(`${P}: stages\\.a\\.cmd: `)],
  ['a stage cycle', () => 'stages:\n  a:\n    cmd: [x]\n    needs: [b]\n  b:\n    cmd: [x]\n    needs: [a]\n', new RegExp(`${P}: stages: stage cycle: (a → b → a|b → a → b)`)],
  ['a cycle through deps and outs', () => 'stages:\n  a:\n    cmd: [x]\n    deps: ["{inputs}/b.json"]\n    outs: ["{inputs}/a.json"]\n  b:\n    cmd: [x]\n    deps: ["{inputs}/a.json"]\n    outs: ["{inputs}/b.json"]\n', new RegExp(`${P}: stages: stage cycle`)],
  ['needs an unknown stage', () => 'stages:\n  a:\n    cmd: [x]\n    needs: [zz]\n', new RegExp(`${P}: stages\\.a\\.needs\\[0\\]: `)],
  ['an out escaping the study with ..', (t) => t.replace('outs: ["{inputs}/agents.json"]', 'outs: ["{inputs}/../../../../../../escaped.json"]'), new RegExp(`${P}: stages\\.sample\\.outs\\[0\\]: `)],
  ['an absolute dep', (t) => t.replace('deps: ["{base.population_spec}"]', 'deps: ["/etc/passwd"]'), new RegExp(`${P}: stages\\.sample\\.deps\\[0\\]: `)],
  ['an unknown template variable', (t) => t.replace('"{inputs}/agents.json", -n, "{agents}"]', '"{inputs}/agents.json", -n, "{nope}"]'), new RegExp(`${P}: stages\\.sample\\.cmd\\[\\d+\\]: .*nope`)],
  ['an undeclared param', (t) => t.replace('    params: [agents]\n', '    params: [agents, nope]\n'), new RegExp(`${P}: stages\\.sample\\.params\\[1\\]: `)],
  ['an unknown check type', (t) => t.replace('{type: json_valid, target: "{inputs}/agents.json", severity: fail}', '{type: no_such_check, target: "{inputs}/agents.json"}'), new RegExp(`${P}: stages\\.sample\\.checks\\[0\\]`)],
  ['a bad severity', (t) => t.replace('{type: json_valid, target: "{inputs}/agents.json", severity: fail}', '{type: json_valid, target: "{inputs}/agents.json", severity: fatal}'), new RegExp(`${P}: stages\\.sample\\.checks\\[0\\]\\.severity: `)],
  ['seed: true with a shell string', (t) => t.replace(/cmd: \[extropy, sample, [^\n]*\]/, 'cmd: "extropy sample x"'), new RegExp(`${P}: stages\\.sample\\.seed: `)],
];

describe('bad input: exit 2 with file and field, nothing written, no stack', () => {
  it(`malformed manifest.yaml (${MANIFEST_CASES.length} kinds)`, () => {
    const problems: string[] = [];
    for (const [name, edit, re] of MANIFEST_CASES) {
      withFile(manifestFile(), edit, () => {
        problems.push(...problemsOf(['batch', 'run', STUDY, batch], re).map((p) => `${name}: ${p}`));
        // report and promote read the same file the same way.
        if (name === 'not YAML') problems.push(...problemsOf(['batch', 'report', STUDY, batch], re), ...problemsOf(['batch', 'promote', STUDY, batch], re));
      });
    }
    expect(problems).toEqual([]);
  });

  it(`malformed pipeline.yaml (${PIPELINE_CASES.length} kinds), for batch run and batch new`, () => {
    const problems: string[] = [];
    for (const [name, edit, re] of PIPELINE_CASES) {
      withFile(pipelineFile(), edit, () => {
        problems.push(...problemsOf(['batch', 'run', STUDY, batch, '--dry-run'], re).map((p) => `${name}: ${p}`));
        problems.push(...problemsOf(['batch', 'run', STUDY, batch], re).map((p) => `${name}: ${p}`));
      });
    }
    expect(problems).toEqual([]);
    withFile(pipelineFile(), (t) => t.replace('  sample:\n', '  sample:\n    command: [x]\n'), () => {
      expectExit2(['batch', 'new', STUDY, '--intent', 'other', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--objective', 'x'], new RegExp(`${P}: stages\\.sample`));
    });
  });

  it('malformed ids on the command line', () => {
    expectExit2(['batch', 'run', STUDY, 'not-a-batch-id'], /not-a-batch-id/);
    expectExit2(['batch', 'run', 'Bad_Study', batch], /Bad_Study/);
    expectExit2(['batch', 'run', STUDY, batch, '--variant', 'vr-nope'], /vr-nope/);
    expectExit2(['batch', 'report', STUDY, batch, '--baseline', 'b-nope'], /b-nope/);
    expectExit2(['batch', 'promote', STUDY, '../../etc'], /\.\.\/\.\.\/etc/);
  });

  it('malformed runs.csv: the line is named and the file is never rewritten', () => {
    const reg = studyPath(dir, 'registry', 'runs.csv');
    withFile(reg, (t) => t.replace(/^timestamp,study,/, 'time,study,'), () => expectExit2(['batch', 'promote', STUDY, batch], /runs\.csv: line 1/));
    withFile(reg, (t) => `${t}"unterminated,quote\n`, () => expectExit2(['batch', 'promote', STUDY, batch], /runs\.csv: line \d+/));
  });
});
