/**
 * The generated bad-input corpus (issue 9): a compact table of input files runr reads (targets)
 * crossed with generators of damage. Every case replaces one file of the template repository
 * (see bad-input-corpus.test.ts) and runs one command that reads it; it must exit 2 with one line
 * `error: <file>: <field>: <problem>` on stderr, no stack, and write nothing.
 *
 * Generators:
 *  - truncation of a JSON file at many offsets (never a complete document): `(root)`;
 *    of the journal, at offsets in every line: a writer refuses the shortened chain (`line N`);
 *  - a wrong type for each field runr checks (every JSON kind the field must not be);
 *  - strict UTF-8: ff fe, overlong c0 af / e0 80 af, a surrogate, above U+10FFFF, a cut sequence,
 *    a lone continuation byte, each at several places in the file: `line N`, with the byte offset;
 *  - a NUL byte at several places (`line N`), and a `\u0000` escape inside a path field;
 *  - nesting deeper than the limit (257, 1,000 and 100,000 levels, arrays and objects): `(root)`;
 *  - a FIFO, a directory, a symlink loop, a 50 MB file where the file should be: `(file)`.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What the template holds (made in the test's beforeAll). */
export interface CorpusCtx {
  good: string;
  legacy: string;
  /** Template file contents, by repository-relative path. */
  read: (rel: string) => Buffer;
}

export type Damage =
  | { kind: 'bytes'; data: Buffer }
  | { kind: 'fifo' }
  | { kind: 'dir' }
  | { kind: 'loop' }
  | { kind: 'big'; bytes: number };

export interface GenCase {
  name: string;
  /** Repository-relative file replaced by the damage. */
  target: string;
  damage: Damage;
  args: string[];
  /** Expected in the error line: `error: <file>: <field>: `. */
  file: string;
  field: string;
}

type Json = unknown;

interface Target {
  name: string;
  rel: (c: CorpusCtx) => string;
  /** The good content (a template file, or a file the case writes). */
  base: (c: CorpusCtx) => Buffer;
  args: (c: CorpusCtx) => string[];
  json: boolean;
  /** Fields runr checks, with the JSON kind each must have (for the wrong-type generator). */
  fields?: Array<[string, Kind]>;
  /** Fields holding a path (for the NUL-escape generator). */
  pathFields?: string[];
}

type Kind = 'string' | 'boolean' | 'number' | 'array' | 'object';

const G = (n: 1 | 2 | 3) => `orchestration/gates/contracts/G${n}.contract.json`;
const VE = 'orchestration/runner/workflows/visual-essay.json';
const START_VE = ['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'essays/s', '--json'];
const CONFIG = '.runr/runr.config.json';
const YAML_WF = 'wf/corpus.yaml';
const TASK = 'tasks/corpus.md';

export const CONFIG_BASE = `${JSON.stringify({ $schema: 'https://example.invalid/runr.schema.json', schema_version: 1, root: '.runr', runs_dir: '.runr/runs' }, null, 2)}\n`;
const YAML_BASE = `workflow: corpus
version: test
gates:
  - gate: G1
    name: Intake
    agent: a
    contract: orchestration/gates/contracts/G1.contract.json
  - gate: G2
    name: Research
    agent: b
    contract: orchestration/gates/contracts/G2.contract.json
`;
const TASK_BASE = `# Add a greeting

## Goal
Add greet() to src/greet.ts — résumé, naïve, 𝄞

## Requirements
- src/greet.ts exports greet(name)

## Success Criteria
- verification passes
`;

const file = (rel: string) => (c: CorpusCtx) => c.read(rel);
const text = (s: string) => () => Buffer.from(s);

const contractFields = (n: 1 | 2 | 3): Array<[string, Kind]> => {
  const base: Array<[string, Kind]> = [
    ['gate', 'string'],
    ['blocking', 'boolean'],
    ['required_outputs', 'object'],
    ['validations', 'array'],
    ['validations[0]', 'object'],
    ['validations[0].type', 'string'],
    ['validations[0].target', 'string'],
  ];
  if (n === 1) return [...base, ['required_outputs.any_of', 'array'], ['required_outputs.any_of[0]', 'object'], ['required_outputs.any_of[0].path', 'string'], ['required_outputs.any_of[1].path', 'string']];
  if (n === 2) {
    return [
      ...base,
      ['required_outputs.all_of', 'array'],
      ...[0, 2, 3, 4, 5].map((i): [string, Kind] => [`required_outputs.all_of[${i}].path`, 'string']),
      ['required_outputs.all_of[0].required', 'boolean'],
      ['required_outputs.all_of[1].required_for_depth', 'array'],
      ['validations[1].type', 'string'],
      ['validations[1].target', 'string'],
      ['validations[1].thresholds.quick', 'number'],
      ['validations[1].thresholds.standard', 'number'],
      ['validations[1].thresholds.deep', 'number'],
    ];
  }
  return [...base, ['required_outputs.all_of', 'array'], ['required_outputs.all_of[0].path', 'string'], ['validations[1].type', 'string'], ['validations[1].required_headings', 'array'], ['validations[2].pattern', 'string'], ['validations[2].severity', 'string']];
};

const TARGETS: Target[] = [
  ...([1, 2, 3] as const).map(
    (n): Target => ({ name: `contract G${n}`, rel: () => G(n), base: file(G(n)), args: () => START_VE, json: true, fields: contractFields(n), pathFields: n === 2 ? ['required_outputs.all_of[0].path', 'validations[1].target'] : n === 1 ? ['required_outputs.any_of[0].path'] : ['required_outputs.all_of[0].path'] }),
  ),
  { name: 'contract G1 (gate start)', rel: () => G(1), base: file(G(1)), args: (c) => ['gate', 'start', '--run', c.good, '--gate', 'G1', '--agent', 'a', '--json'], json: true },
  {
    name: 'workflow',
    rel: () => VE,
    base: file(VE),
    args: () => START_VE,
    json: true,
    fields: [
      ['workflow', 'string'],
      ['gates', 'array'],
      ['gates[0]', 'object'],
      ...[0, 1, 2].flatMap((i): Array<[string, Kind]> => [
        [`gates[${i}].gate`, 'string'],
        [`gates[${i}].name`, 'string'],
        [`gates[${i}].contract`, 'string'],
      ]),
    ],
    pathFields: ['gates[0].contract', 'gates[2].contract'],
  },
  { name: 'YAML workflow', rel: () => YAML_WF, base: text(YAML_BASE), args: () => ['run', 'start', '--workflow', YAML_WF, '--slug', 's', '--artifact-path', 'essays/s', '--json'], json: false },
  {
    name: 'config',
    rel: () => CONFIG,
    base: text(CONFIG_BASE),
    args: () => ['run', 'list', '--json'],
    json: true,
    fields: [
      ['$schema', 'string'],
      ['schema_version', 'number'],
      ['root', 'string'],
      ['runs_dir', 'string'],
    ],
    pathFields: ['runs_dir', 'root'],
  },
  {
    name: 'legacy RUN.json',
    rel: (c) => `.runr/runs/${c.legacy}/record/RUN.json`,
    base: (c) => c.read(`.runr/runs/${c.legacy}/record/RUN.json`),
    args: (c) => ['run', 'show', '--run', c.legacy, '--json'],
    json: true,
    fields: [
      ['run_id', 'string'],
      ['workflow', 'object'],
      ['workflow.name', 'string'],
      ['workflow.slug', 'string'],
      ['status', 'string'],
      ['started_at', 'string'],
      ['gates', 'array'],
      ['gates[0]', 'object'],
      ['gates[0].gate', 'string'],
      ['gates[0].status', 'string'],
      ['gates[1].attempts', 'array'],
      ['gates[1].attempts[0].attempt', 'number'],
      ['gates[1].attempts[0].status', 'string'],
      ['invocations', 'array'],
    ],
  },
  { name: 'legacy RUN.json (gate start)', rel: (c) => `.runr/runs/${c.legacy}/record/RUN.json`, base: (c) => c.read(`.runr/runs/${c.legacy}/record/RUN.json`), args: (c) => ['gate', 'start', '--run', c.legacy, '--gate', 'G1', '--agent', 'a', '--json'], json: true },
  { name: 'task file', rel: () => TASK, base: text(TASK_BASE), args: () => ['run', '--task', TASK, '--foreground', '--json'], json: false },
];

const JOURNAL_TARGET = { name: 'journal', rel: (c: CorpusCtx) => `.runr/runs/${c.good}/record/events.jsonl`, args: (c: CorpusCtx) => ['gate', 'start', '--run', c.good, '--gate', 'G2', '--agent', 'a', '--json'] };

/** `n` offsets spread over [0, end), always including 0 and end - 1. */
function offsets(end: number, n: number): number[] {
  if (end <= n) return Array.from({ length: end }, (_, i) => i);
  const out = new Set<number>([0, end - 1]);
  for (let i = 1; out.size < n; i++) out.add(Math.floor((i * end) / n) % end);
  return [...out].sort((a, b) => a - b);
}

/** Set `dotted` (`a.b[2].c`) in a parsed document. */
function setPath(doc: Json, dotted: string, value: Json): Json {
  const keys = dotted.split(/\.|(?=\[)/).map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
  const root = structuredClone(doc) as Record<string | number, Json>;
  let cur = root;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = keys[keys.length - 1] as string | number;
  if (cur === undefined || !(last in cur)) throw new Error(`corpus: no field ${dotted}`);
  cur[last] = value;
  return root;
}

const WRONG: Record<Kind, Array<[string, Json]>> = {
  string: [['a number', 42], ['true', true], ['null', null], ['an array', ['x']], ['an object', { x: 1 }]],
  boolean: [['a string', 'yes'], ['a number', 1], ['null', null], ['an array', []], ['an object', {}]],
  number: [['a string', '8'], ['true', true], ['null', null], ['an array', [8]], ['an object', {}]],
  array: [['a string', 'x'], ['a number', 3], ['true', true], ['null', null], ['an object', { '0': 'x' }]],
  object: [['a string', 'x'], ['a number', 3], ['false', false], ['null', null], ['an array', []]],
};

const BAD_UTF8: Array<[string, number[]]> = [
  ['ff fe', [0xff, 0xfe]],
  ['overlong c0 af', [0xc0, 0xaf]],
  ['overlong e0 80 af', [0xe0, 0x80, 0xaf]],
  ['surrogate ed a0 80', [0xed, 0xa0, 0x80]],
  ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['cut sequence e2 82', [0xe2, 0x82]],
  ['lone continuation 80', [0x80]],
  ['5-byte form f8', [0xf8, 0x88, 0x80, 0x80, 0x80]],
];

/** Places to insert bytes: inside the first string value, the middle of the file, before the last line. */
function insertionPoints(buf: Buffer): number[] {
  const s = buf.toString('latin1');
  const firstString = s.indexOf('"') >= 0 ? s.indexOf('"', s.indexOf(':') + 1) + 1 : Math.min(3, s.length);
  const middle = s.indexOf('\n', Math.floor(s.length / 2)) + 1 || Math.floor(s.length / 2);
  const lastLine = s.lastIndexOf('\n', s.length - 2) + 1;
  return [...new Set([firstString > 0 ? firstString : 1, middle, lastLine])];
}

const lineOf = (buf: Buffer, offset: number) => buf.subarray(0, offset).toString('latin1').split('\n').length;
const insert = (buf: Buffer, at: number, bytes: number[]) => Buffer.concat([buf.subarray(0, at), Buffer.from(bytes), buf.subarray(at)]);

function jsonBuf(doc: Json): Buffer {
  return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`);
}

export function generateCorpus(c: CorpusCtx): GenCase[] {
  const out: GenCase[] = [];
  for (const t of TARGETS) {
    const rel = t.rel(c);
    const base = t.base(c);
    const args = t.args(c);
    const add = (name: string, damage: Damage, field: string) => out.push({ name: `${t.name}: ${name}`, target: rel, damage, args, file: rel, field });
    if (t.json) {
      // Truncations: every prefix shorter than the closing brace is not a JSON document.
      const end = base.lastIndexOf('}');
      for (const at of offsets(end, t.name.startsWith('contract G1 (') || t.name.includes('(gate start)') ? 12 : 40)) add(`truncated at byte ${at} of ${base.length}`, { kind: 'bytes', data: base.subarray(0, at) }, '(root)');
      // Wrong types.
      const doc = JSON.parse(base.toString('utf8')) as Json;
      for (const [field, kind] of t.fields ?? []) {
        for (const [what, value] of WRONG[kind]) add(`${field} is ${what}`, { kind: 'bytes', data: jsonBuf(setPath(doc, field, value)) }, field);
      }
      // A NUL escape inside a path.
      for (const field of t.pathFields ?? []) {
        for (const [where, make] of [
          ['at the start', (p: string) => `\u0000${p}`],
          ['in the middle', (p: string) => `${p.slice(0, 3)}\u0000${p.slice(3)}`],
          ['at the end', (p: string) => `${p}\u0000`],
        ] as const) {
          const cur = field.split(/\.|(?=\[)/).reduce<Json>((o, k) => (o as Record<string, Json>)[k.startsWith('[') ? Number(k.slice(1, -1)) : k], doc) as string;
          add(`\\u0000 escape ${where} of ${field}`, { kind: 'bytes', data: jsonBuf(setPath(doc, field, make(cur))) }, field);
        }
      }
      // Nesting beyond the limit, as the whole document and inside a field.
      for (const depth of [257, 1_000, 100_000]) {
        add(`an array nested ${depth} deep`, { kind: 'bytes', data: Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`) }, '(root)');
        add(`an object nested ${depth} deep`, { kind: 'bytes', data: Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) }, '(root)');
        add(`a field nested ${depth} deep`, { kind: 'bytes', data: Buffer.from(`{"x": ${'['.repeat(depth)}${']'.repeat(depth)}}`) }, '(root)');
      }
    }
    // Strict UTF-8 and NUL bytes, at several places.
    for (const at of insertionPoints(base)) {
      for (const [what, bytes] of BAD_UTF8) add(`${what} at byte ${at}`, { kind: 'bytes', data: insert(base, at, bytes) }, `line ${lineOf(base, at)}`);
      add(`a NUL byte at byte ${at}`, { kind: 'bytes', data: insert(base, at, [0]) }, `line ${lineOf(base, at)}`);
    }
    add('a UTF-16 byte-order mark and text', { kind: 'bytes', data: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base.toString('utf8'), 'utf16le')]) }, 'line 1');
    // Not a regular file, or too large.
    add('a FIFO', { kind: 'fifo' }, '(file)');
    add('a directory', { kind: 'dir' }, '(file)');
    add('a symlink loop', { kind: 'loop' }, '(file)');
    add('a 50 MB file', { kind: 'big', bytes: 50 * 1024 * 1024 }, '(file)');
    add('a 33 MB file', { kind: 'big', bytes: 33 * 1024 * 1024 }, '(file)');
  }
  // The journal: truncated at offsets in every line; a writer refuses the shortened chain.
  const jrel = JOURNAL_TARGET.rel(c);
  const journal = c.read(jrel);
  const jargs = JOURNAL_TARGET.args(c);
  for (const at of offsets(journal.length - 1, 48)) {
    const complete = journal.subarray(0, at).toString('latin1').split('\n').length - 1;
    out.push({ name: `journal: truncated at byte ${at} of ${journal.length}`, target: jrel, damage: { kind: 'bytes', data: journal.subarray(0, at) }, args: jargs, file: jrel, field: complete === 0 ? '(file)' : `line ${complete + 1}` });
  }
  for (const at of insertionPoints(journal)) {
    for (const [what, bytes] of BAD_UTF8) out.push({ name: `journal: ${what} at byte ${at}`, target: jrel, damage: { kind: 'bytes', data: insert(journal, at, bytes) }, args: jargs, file: jrel, field: `line ${lineOf(journal, at)}` });
  }
  for (const [kind, what] of [['fifo', 'a FIFO'], ['dir', 'a directory'], ['loop', 'a symlink loop']] as const) out.push({ name: `journal: ${what}`, target: jrel, damage: { kind }, args: jargs, file: jrel, field: '(file)' });
  out.push({ name: 'journal: a 50 MB file', target: jrel, damage: { kind: 'big', bytes: 50 * 1024 * 1024 }, args: jargs, file: jrel, field: '(file)' });
  return out;
}

/** Apply a damage to `abs` (replacing whatever is there). */
export function applyDamage(abs: string, d: Damage, mkfifo: (f: string) => void): void {
  fs.rmSync(abs, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  switch (d.kind) {
    case 'bytes':
      fs.writeFileSync(abs, d.data);
      return;
    case 'fifo':
      mkfifo(abs);
      return;
    case 'dir':
      fs.mkdirSync(abs);
      return;
    case 'loop':
      fs.symlinkSync(`${path.basename(abs)}.loop`, abs);
      fs.symlinkSync(path.basename(abs), `${abs}.loop`);
      return;
    case 'big': {
      // Sparse: the size is what counts (runr checks it before reading).
      const fd = fs.openSync(abs, 'w');
      fs.ftruncateSync(fd, d.bytes);
      fs.closeSync(fd);
      return;
    }
  }
}

