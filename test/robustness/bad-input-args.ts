/** Bad-input corpus, part 2: run ids, damaged records, bad config, bad flags. */
import type { BadCase, Ctx } from './bad-input-cases.js';
import { legacyRun, startWith } from './bad-input-cases.js';

const BAD_IDS: Array<[string, string]> = [
  ['../x', 'parent path'],
  ['/etc', 'absolute path'],
  ['', 'empty'],
  ['a/b', 'a separator'],
  ['..', 'dot-dot'],
  ['.', 'dot'],
  ['a b', 'a space'],
  ['a\u0001b', 'a control character'],
  ['a\nb', 'a newline'],
  ['run_x\\..\\y', 'backslashes'],
  ['nothing_like_a_run', 'an unknown prefix'],
  ['run_2099', 'a prefix matching no run'],
  ['x'.repeat(300), '300 characters'],
];

const ID_COMMANDS: Array<[string, (id: string) => string[], string]> = [
  ['run show', (id) => ['run', 'show', '--run', id, '--json'], '--run'],
  ['gate start', (id) => ['gate', 'start', '--run', id, '--gate', 'G1', '--json'], '--run'],
  ['gate finish', (id) => ['gate', 'finish', '--run', id, '--gate', 'G1', '--json'], '--run'],
  ['invocation record', (id) => ['invocation', 'record', '--run', id, '--gate', 'G1', '--agent', 'a', '--json'], '--run'],
  ['run complete', (id) => ['run', 'complete', '--run', id, '--json'], '--run'],
  ['audit', (id) => ['audit', id, '--json'], '<run>'],
];

/** Every bad id through one command (rotating), plus every command with `../x` and `/etc`. */
export const runIdCases: BadCase[] = [
  ...BAD_IDS.map(([id, what], i): BadCase => {
    const [cmd, args, flag] = ID_COMMANDS[i % ID_COMMANDS.length]!;
    return { name: `run id with ${what} (${cmd})`, args: args(id), flag };
  }),
  ...ID_COMMANDS.flatMap(([cmd, args, flag]): BadCase[] => [
    { name: `run id ../x (${cmd})`, args: args('../x'), flag },
    { name: `run id /etc (${cmd})`, args: args('/etc'), flag },
  ]),
];

const runJson = (x: Ctx, id: string) => `${x.rec(id)}/RUN.json`;
const journal = (x: Ctx) => `${x.rec(x.good)}/events.jsonl`;
/** `good`'s journal with line `n` (1-based) replaced. */
const journalWithLine = (x: Ctx, n: number, line: string) => x.goodJournal.map((l, i) => (i === n - 1 ? line : l)).join('\n') + '\n';

export const recordCases: BadCase[] = [
  { name: 'legacy RUN.json not JSON (run show)', files: (x) => ({ [runJson(x, x.legacy)]: '{"run_id": ' }), args: (x) => ['run', 'show', '--run', x.legacy, '--json'], file: (x) => runJson(x, x.legacy), field: '(root)' },
  { name: 'legacy RUN.json not JSON (gate start)', files: (x) => ({ [runJson(x, x.legacy)]: '' }), args: (x) => ['gate', 'start', '--run', x.legacy, '--gate', 'G1', '--json'], file: (x) => runJson(x, x.legacy), field: '(root)' },
  { name: 'legacy RUN.json status is a number (run show)', files: (x) => ({ [runJson(x, x.legacy)]: legacyRun((r) => void (r.status = 5)) }), args: (x) => ['run', 'show', '--run', x.legacy, '--json'], file: (x) => runJson(x, x.legacy), field: 'status' },
  { name: 'legacy RUN.json status DONE (invocation record)', files: (x) => ({ [runJson(x, x.legacy)]: legacyRun((r) => void (r.status = 'DONE')) }), args: (x) => ['invocation', 'record', '--run', x.legacy, '--gate', 'G2', '--agent', 'a', '--json'], file: (x) => runJson(x, x.legacy), field: 'status' },
  { name: 'legacy RUN.json gates is a string (gate finish)', files: (x) => ({ [runJson(x, x.legacy)]: legacyRun((r) => void (r.gates = 'G1' as unknown as [])) }), args: (x) => ['gate', 'finish', '--run', x.legacy, '--gate', 'G2', '--json'], file: (x) => runJson(x, x.legacy), field: 'gates' },
  { name: 'legacy RUN.json without run_id (run complete)', files: (x) => ({ [runJson(x, x.legacy)]: legacyRun((r) => void delete r.run_id) }), args: (x) => ['run', 'complete', '--run', x.legacy, '--json'], file: (x) => runJson(x, x.legacy), field: 'run_id' },
  { name: 'legacy attempt number is "one" (audit)', files: (x) => ({ [runJson(x, x.legacy)]: legacyRun((r) => void (r.gates[1]!.attempts[0]!.attempt = 'one')) }), args: (x) => ['audit', x.legacy, '--json'], file: (x) => runJson(x, x.legacy), field: 'gates[1].attempts[0].attempt' },
  { name: 'legacy invocations is null (gate fail)', files: (x) => ({ [runJson(x, x.legacy)]: legacyRun((r) => void (r.invocations = null)) }), args: (x) => ['gate', 'fail', '--run', x.legacy, '--gate', 'G1', '--reason', 'r', '--json'], file: (x) => runJson(x, x.legacy), field: 'invocations' },
  { name: 'journal: line 2 of 4 not JSON (audit)', files: (x) => ({ [journal(x)]: journalWithLine(x, 2, '{"seq": 2, "type": "gate.sta') }), args: (x) => ['audit', x.good, '--json'], file: journal, field: 'line 2' },
  { name: 'journal: line 2 of 4 not JSON (gate start)', files: (x) => ({ [journal(x)]: journalWithLine(x, 2, 'garbage') }), args: (x) => ['gate', 'start', '--run', x.good, '--gate', 'G2', '--json'], file: journal, field: 'line 2' },
  { name: 'journal: line 3 of 4 not JSON (invocation record)', files: (x) => ({ [journal(x)]: journalWithLine(x, 3, '') }), args: (x) => ['invocation', 'record', '--run', x.good, '--gate', 'G1', '--agent', 'a', '--json'], file: journal, field: 'line 3' },
  { name: 'journal: line 2 seq is "two" (gate finish)', files: (x) => ({ [journal(x)]: journalWithLine(x, 2, x.goodJournal[1]!.replace('"seq":2', '"seq":"two"')) }), args: (x) => ['gate', 'finish', '--run', x.good, '--gate', 'G1', '--json'], file: journal, field: 'line 2.seq' },
  { name: 'journal: line 1 unknown event type (audit)', files: (x) => ({ [journal(x)]: journalWithLine(x, 1, x.goodJournal[0]!.replace('"type":"run.created"', '"type":"run.exploded"')) }), args: (x) => ['audit', x.good, '--json'], file: journal, field: 'line 1.type' },
  { name: 'run directory without a record (run show)', files: (x) => ({ [`${x.rec(x.good)}/RUN.json`]: null, [journal(x)]: null }), args: (x) => ['run', 'show', '--run', x.good, '--json'], file: (x) => x.rec(x.good), field: 'RUN.json' },
  { name: 'config not JSON (run list)', files: { '.runr/runr.config.json': '{"runs_dir": ' }, args: ['run', 'list', '--json'], file: '.runr/runr.config.json', field: '(root)' },
  { name: 'config runs_dir is a number (run start)', files: { '.runr/runr.config.json': { runs_dir: 5 } }, args: startWith('visual-essay'), file: '.runr/runr.config.json', field: 'runs_dir' },
];

const ve = (extra: string[], base = ['run', 'start', '--workflow', 'visual-essay']) => [...base, ...extra, '--json'];
const okStart = ['--slug', 's', '--artifact-path', 'essays/s'];

export const flagCases: BadCase[] = [
  { name: '--depth huge (run start)', args: ve([...okStart, '--depth', 'huge']), flag: '--depth' },
  { name: '--depth huge (CI mode)', args: ve([...okStart, '--depth', 'huge'], ['run', 'visual-essay']), flag: '--depth' },
  { name: '--status DONE (run complete)', args: (x) => ['run', 'complete', '--run', x.good, '--status', 'DONE', '--json'], flag: '--status' },
  { name: '--status DONE (invocation record)', args: (x) => ['invocation', 'record', '--run', x.good, '--gate', 'G1', '--agent', 'a', '--status', 'DONE', '--json'], flag: '--status' },
  { name: '--artifact-path ../x', args: ve(['--slug', 's', '--artifact-path', '../x']), flag: '--artifact-path' },
  { name: '--artifact-path /etc', args: ve(['--slug', 's', '--artifact-path', '/etc']), flag: '--artifact-path' },
  { name: '--artifact-path a/../../x (CI mode)', args: ve(['--slug', 's', '--artifact-path', 'a/../../x'], ['run', 'visual-essay']), flag: '--artifact-path' },
  { name: '--artifact-path empty', args: ve(['--slug', 's', '--artifact-path', '']), flag: '--artifact-path' },
  { name: "--slug 'A B'", args: ve(['--slug', 'A B', '--artifact-path', 'x']), flag: '--slug' },
  { name: '--slug ../x', args: ve(['--slug', '../x', '--artifact-path', 'x']), flag: '--slug' },
  { name: '--slug empty', args: ve(['--slug', '', '--artifact-path', 'x']), flag: '--slug' },
  { name: '--param without =', args: ve([...okStart, '--param', 'noequals']), flag: '--param' },
  { name: '--param slug=x (reserved)', args: ve([...okStart, '--param', 'slug=x']), flag: '--param' },
  { name: '--timeout -5 (CI mode)', args: ve([...okStart, '--timeout', '-5'], ['run', 'visual-essay']), flag: '--timeout' },
  { name: '--prompt-file ../x (CI mode)', args: ve([...okStart, '--prompt-file', '../x'], ['run', 'visual-essay']), flag: '--prompt-file' },
  { name: '--prompt-file /etc/hostname (CI mode)', args: ve([...okStart, '--prompt-file', '/etc/hostname'], ['run', 'visual-essay']), flag: '--prompt-file' },
  { name: '--prompt-file missing (CI mode)', args: ve([...okStart, '--prompt-file', 'nope.txt'], ['run', 'visual-essay']), flag: '--prompt-file' },
  { name: '--workflow outside the repository', args: ve(okStart, ['run', 'start', '--workflow', '../outside.json']), flag: '--workflow' },
  { name: '--workflow with a space', args: ve(okStart, ['run', 'start', '--workflow', 'no such']), flag: '--workflow' },
  { name: '--workflow not found', args: ve(okStart, ['run', 'start', '--workflow', 'missing-workflow']), flag: '--workflow' },
  { name: '--gate ../G1 (gate start)', args: (x) => ['gate', 'start', '--run', x.good, '--gate', '../G1', '--json'], flag: '--gate' },
  { name: '--gate unknown (invocation record)', args: (x) => ['invocation', 'record', '--run', x.good, '--gate', 'G9', '--agent', 'a', '--json'], flag: '--gate' },
  { name: '--duration-ms abc', args: (x) => ['invocation', 'record', '--run', x.good, '--gate', 'G1', '--agent', 'a', '--duration-ms', 'abc', '--json'], flag: '--duration-ms' },
  { name: '--reason empty (gate fail)', args: (x) => ['gate', 'fail', '--run', x.good, '--gate', 'G1', '--reason', '', '--json'], flag: '--reason' },
];
