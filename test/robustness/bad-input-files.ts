/** Bad-input corpus, part 1: malformed contracts and workflow files (JSON and YAML). */
import type { BadCase } from './bad-input-cases.js';
import { ciWith, contract, startWith, workflow } from './bad-input-cases.js';

const G1 = 'orchestration/gates/contracts/G1.contract.json';
const G2 = 'orchestration/gates/contracts/G2.contract.json';
const G3 = 'orchestration/gates/contracts/G3.contract.json';
const START_VE = startWith('visual-essay');

/** A G2 contract with one more validation (index 2). */
const g2With = (v: Record<string, unknown>) => contract('G2', (c) => void c.validations.push({ target: '{artifact_path}/research/CITATIONS.md', ...v }));

function contractCase(name: string, file: string, content: string | object, field: string): BadCase {
  return { name: `contract: ${name}`, files: { [file]: content }, args: START_VE, file, field };
}

export const contractCases: BadCase[] = [
  contractCase('not JSON', G2, '{bad', '(root)'),
  contractCase('empty file', G2, '', '(root)'),
  contractCase('a JSON array', G2, '[]', '(root)'),
  contractCase('JSON null', G1, 'null', '(root)'),
  contractCase('truncated JSON', G3, '{"gate": "G3", "validations": [', '(root)'),
  contractCase('thresholds.standard is "eight"', G2, contract('G2', (c) => void ((c.validations[1] as { thresholds: Record<string, unknown> }).thresholds.standard = 'eight')), 'validations[1].thresholds.standard'),
  contractCase('unknown validation type', G2, contract('G2', (c) => void (c.validations[1]!.type = 'frobnicate')), 'validations[1].type'),
  contractCase('validation without type', G3, contract('G3', (c) => void delete c.validations[1]!.type), 'validations[1].type'),
  contractCase('absolute output path', G2, contract('G2', (c) => void ((c.required_outputs.all_of as Array<Record<string, unknown>>)[0]!.path = '/etc/passwd')), 'required_outputs.all_of[0].path'),
  contractCase('output path with ..', G2, contract('G2', (c) => void ((c.required_outputs.all_of as Array<Record<string, unknown>>)[0]!.path = '../../secret.md')), 'required_outputs.all_of[0].path'),
  contractCase('.. after a placeholder', G2, contract('G2', (c) => void ((c.required_outputs.all_of as Array<Record<string, unknown>>)[2]!.path = '{artifact_path}/../../../x.md')), 'required_outputs.all_of[2].path'),
  contractCase('home-relative any_of path', G1, contract('G1', (c) => void ((c.required_outputs.any_of as Array<Record<string, unknown>>)[1]!.path = '~/INTAKE.md')), 'required_outputs.any_of[1].path'),
  contractCase('Windows drive path', G1, contract('G1', (c) => void ((c.required_outputs.any_of as Array<Record<string, unknown>>)[0]!.path = 'C:\\intake.md')), 'required_outputs.any_of[0].path'),
  contractCase('empty output path', G3, contract('G3', (c) => void ((c.required_outputs.all_of as Array<Record<string, unknown>>)[0]!.path = '')), 'required_outputs.all_of[0].path'),
  contractCase('output without path', G2, contract('G2', (c) => void delete (c.required_outputs.all_of as Array<Record<string, unknown>>)[1]!.path), 'required_outputs.all_of[1].path'),
  contractCase('output required is "yes"', G2, contract('G2', (c) => void ((c.required_outputs.all_of as Array<Record<string, unknown>>)[0]!.required = 'yes')), 'required_outputs.all_of[0].required'),
  contractCase('required_for_depth is a string', G2, contract('G2', (c) => void ((c.required_outputs.all_of as Array<Record<string, unknown>>)[1]!.required_for_depth = 'standard')), 'required_outputs.all_of[1].required_for_depth'),
  contractCase('required_outputs is an array', G3, contract('G3', (c) => void (c.required_outputs = [] as unknown as Record<string, unknown>)), 'required_outputs'),
  contractCase('all_of is a string', G3, contract('G3', (c) => void (c.required_outputs.all_of = 'specs/x.md')), 'required_outputs.all_of'),
  contractCase('missing gate', G2, contract('G2', (c) => void delete c.gate), 'gate'),
  contractCase('gate is a number', G2, contract('G2', (c) => void (c.gate = 2)), 'gate'),
  contractCase('blocking is "yes"', G1, contract('G1', (c) => void (c.blocking = 'yes')), 'blocking'),
  contractCase('validations is an object', G1, contract('G1', (c) => void (c.validations = {} as unknown as Array<Record<string, unknown>>)), 'validations'),
  contractCase('min_sources without target', G2, contract('G2', (c) => void delete c.validations[1]!.target), 'validations[1].target'),
  contractCase('min_sources target absolute', G2, contract('G2', (c) => void (c.validations[1]!.target = '/etc/hosts')), 'validations[1].target'),
  contractCase('min_sources target with ..', G2, contract('G2', (c) => void (c.validations[1]!.target = 'a/../../b.md')), 'validations[1].target'),
  contractCase('required_headings is a string', G3, contract('G3', (c) => void (c.validations[1]!.required_headings = '## Layer 1')), 'validations[1].required_headings'),
  contractCase('not_contains pattern is a number', G3, contract('G3', (c) => void (c.validations[2]!.pattern = 5)), 'validations[2].pattern'),
  contractCase('severity "fatal"', G3, contract('G3', (c) => void (c.validations[2]!.severity = 'fatal')), 'validations[2].severity'),
  contractCase('min_file_count min -1', G2, g2With({ type: 'min_file_count', target: 'essays', min: -1 }), 'validations[2].min'),
  contractCase('min_file_count min 2.5', G2, g2With({ type: 'min_file_count', target: 'essays', min: 2.5 }), 'validations[2].min'),
  contractCase('regex_match flags "g"', G2, g2With({ type: 'regex_match', pattern: 'x', flags: 'g' }), 'validations[2].flags'),
  contractCase('regex_match pattern is not a regex', G2, g2With({ type: 'regex_match', pattern: '(unclosed' }), 'validations[2].pattern'),
  contractCase('min_regex_count without min', G2, g2With({ type: 'min_regex_count', pattern: 'x' }), 'validations[2].min'),
  contractCase('sha256 expected "abc"', G2, g2With({ type: 'sha256', expected: 'abc' }), 'validations[2].expected'),
  contractCase('contains_text text []', G2, g2With({ type: 'contains_text', text: [] }), 'validations[2].text'),
  contractCase('dir_exists target empty', G2, g2With({ type: 'dir_exists', target: '' }), 'validations[2].target'),
  contractCase('json_schema schema_path with ..', G2, g2With({ type: 'json_schema', schema_path: '../schema.json' }), 'validations[2].schema_path'),
  contractCase('json_schema schema is a string', G2, g2With({ type: 'json_schema', schema: 'object' }), 'validations[2].schema'),
  contractCase('command argv []', G2, g2With({ type: 'command', argv: [] }), 'validations[2].argv'),
  contractCase('command argv is a string', G2, g2With({ type: 'command', argv: 'echo hi' }), 'validations[2].argv'),
  contractCase('command timeout_s 0', G2, g2With({ type: 'command', argv: ['true'], timeout_s: 0 }), 'validations[2].timeout_s'),
  contractCase('command cwd absolute', G2, g2With({ type: 'command', argv: ['true'], cwd: '/tmp' }), 'validations[2].cwd'),
  contractCase('command cwd ..', G2, g2With({ type: 'command', argv: ['true'], cwd: '..' }), 'validations[2].cwd'),
  // A bad contract is refused by the gate commands too, on a run started before it broke.
  { name: 'contract broken after run start: gate start', files: { [G1]: contract('G1', (c) => void (c.validations[0]!.type = 'exists')) }, args: (x) => ['gate', 'start', '--run', x.good, '--gate', 'G1', '--json'], file: G1, field: 'validations[0].type' },
  { name: 'contract broken after run start: gate finish', files: { [G1]: '{"gate": ' }, args: (x) => ['gate', 'finish', '--run', x.good, '--gate', 'G1', '--json'], file: G1, field: '(root)' },
  { name: 'contract broken after run start: gate fail', files: { [G1]: contract('G1', (c) => void (c.blocking = 1)) }, args: (x) => ['gate', 'fail', '--run', x.good, '--gate', 'G1', '--reason', 'x', '--json'], file: G1, field: 'blocking' },
];

const WF = 'wf/bad.json';
const WY = 'wf/bad.yaml';

function wfCase(name: string, file: string, content: string | object, field: string, args = startWith(file)): BadCase {
  return { name: `workflow: ${name}`, files: { [file]: content }, args, file, field };
}

const yamlGood = `workflow: bad
gates:
  - gate: G1
    name: Intake
    contract: orchestration/gates/contracts/G1.contract.json
`;

export const workflowCases: BadCase[] = [
  wfCase('JSON syntax error', WF, '{"workflow": "bad", "gates": [}', '(root)'),
  wfCase('empty JSON file', WF, '', '(root)'),
  wfCase('YAML syntax error', WY, 'workflow: bad\ngates: [\n  - gate: G1\n', 'line 3'),
  wfCase('YAML tab indentation', WY, 'workflow: bad\ngates:\n\t- gate: G1\n', 'line 3'),
  wfCase('YAML is a scalar', WY, 'just a string\n', '(root)'),
  wfCase('empty YAML file', WY, '', '(root)'),
  wfCase('no gates key', WF, workflow((w) => void delete (w as Record<string, unknown>).gates), 'gates'),
  wfCase('no gates', WF, workflow((w) => void (w.gates = [])), 'gates'),
  wfCase('gates is an object', WF, workflow((w) => void (w.gates = {} as unknown as [])), 'gates'),
  wfCase('no workflow name', WF, workflow((w) => void delete (w as Record<string, unknown>).workflow), 'workflow'),
  wfCase('empty workflow name', WF, workflow((w) => void (w.workflow = '')), 'workflow'),
  wfCase('duplicate gates', WF, workflow((w) => void (w.gates[1]!.gate = 'G1')), 'gates[1].gate'),
  wfCase('gate id with ..', WF, workflow((w) => void (w.gates[0]!.gate = '../G1')), 'gates[0].gate'),
  wfCase('gate id with a space', WF, workflow((w) => void (w.gates[0]!.gate = 'G 1')), 'gates[0].gate'),
  wfCase('gate without name', WF, workflow((w) => void delete w.gates[1]!.name), 'gates[1].name'),
  wfCase('unknown executor', WF, workflow((w) => void (w.gates[0]!.executor = 'shell')), 'gates[0].executor'),
  wfCase('command executor without argv', WF, workflow((w) => void (w.gates[0]!.executor = 'command')), 'gates[0].command'),
  wfCase('command is a string', WF, workflow((w) => Object.assign(w.gates[0]!, { executor: 'command', command: 'make all' })), 'gates[0].command'),
  wfCase('command is empty', WF, workflow((w) => Object.assign(w.gates[1]!, { executor: 'command', command: [] })), 'gates[1].command'),
  wfCase('contract path with ..', WF, workflow((w) => void (w.gates[0]!.contract = '../contracts/G1.contract.json')), 'gates[0].contract'),
  wfCase('absolute contract path', WF, workflow((w) => void (w.gates[1]!.contract = '/etc/passwd')), 'gates[1].contract'),
  wfCase('contract file does not exist', WF, workflow((w) => void (w.gates[1]!.contract = 'orchestration/gates/contracts/G9.contract.json')), 'gates[1].contract'),
  wfCase('timeout_s negative', WF, workflow((w) => void (w.gates[0]!.timeout_s = -1)), 'gates[0].timeout_s'),
  wfCase('retries 100', WF, workflow((w) => void (w.gates[0]!.retries = 100)), 'gates[0].retries'),
  wfCase('retries 1.5', WF, workflow((w) => void (w.gates[0]!.retries = 1.5)), 'gates[0].retries'),
  wfCase('blocking is "no"', WF, workflow((w) => void (w.gates[0]!.blocking = 'no')), 'gates[0].blocking'),
  wfCase('YAML duplicate gates', WY, `${yamlGood}  - gate: G1\n    name: Again\n`, 'gates[1].gate'),
  wfCase('YAML command executor without argv', WY, `${yamlGood}    executor: command\n`, 'gates[0].command'),
  wfCase('YAML contract path with ..', WY, yamlGood.replace('orchestration/gates', '../orchestration/gates'), 'gates[0].contract'),
  wfCase('YAML gates is a string', WY, 'workflow: bad\ngates: G1\n', 'gates'),
  // The same checks in CI mode (`runr run <workflow>`), and for a workflow found by name.
  wfCase('CI mode: YAML syntax error', WY, 'workflow: [bad\n', 'line 2', ciWith(WY)),
  wfCase('CI mode: duplicate gates', WF, workflow((w) => void (w.gates[1]!.gate = 'G1')), 'gates[1].gate', ciWith(WF)),
  wfCase('CI mode: command executor without argv', WY, `${yamlGood}    executor: command\n`, 'gates[0].command', ciWith(WY)),
  wfCase('CI mode: contract path with ..', WF, workflow((w) => void (w.gates[0]!.contract = '../x.json')), 'gates[0].contract', ciWith(WF)),
  wfCase('by name: .runr/workflows/bad.yaml', '.runr/workflows/bad.yaml', 'workflow: bad\ngates: []\n', 'gates', startWith('bad')),
  wfCase('by name, CI mode: orchestration/runner/workflows/bad.json', 'orchestration/runner/workflows/bad.json', '{"workflow":', '(root)', ciWith('bad')),
];
