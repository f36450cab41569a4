/**
 * Bad input: malformed contracts, workflow files (JSON and YAML), run ids, damaged records, bad
 * config and bad flags (corpus in bad-input-files.ts and bad-input-args.ts). Each case runs in a
 * fresh copy of a template repository and must:
 *  - exit 2, print nothing on stdout (under --json: the one error object) and exactly one line on
 *    stderr, without a stack trace;
 *  - name the file and the field when a file is at fault (`error: <file>: <field>: <problem>`),
 *    otherwise the flag or argument;
 *  - write nothing: the tree (paths, directories and contents, `.git` aside) is unchanged.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, makeRepo, removeRepo, runr, writeFile } from '../helpers/cli.js';
import { runIdCases, recordCases, flagCases } from './bad-input-args.js';
import type { BadCase, Ctx } from './bad-input-cases.js';
import { LEGACY_ID } from './bad-input-cases.js';
import { contractCases, workflowCases } from './bad-input-files.js';
import { runrAsync } from './spawn.js';

let template = '';
let ctx: Ctx;

beforeAll(() => {
  template = makeRepo();
  const run = (args: string[]) => runr(args, { cwd: template });
  const started = run(['run', 'start', '--workflow', 'visual-essay', '--slug', 'good', '--artifact-path', 'essays/good', '--json']);
  expect(started.status, started.stderr).toBe(0);
  const good = (JSON.parse(started.stdout) as { run_id: string }).run_id;
  expect(run(['gate', 'start', '--run', good, '--gate', 'G1', '--agent', 'a']).status).toBe(0);
  expect(run(['invocation', 'record', '--run', good, '--gate', 'G1', '--agent', 'a']).status).toBe(0);
  expect(run(['gate', 'finish', '--run', good, '--gate', 'G1']).status).toBe(1); // no intake file: FAIL
  fs.cpSync(path.join(fixtureDir, 'runs', LEGACY_ID), path.join(template, '.runr', 'runs', LEGACY_ID), { recursive: true });
  const rec = (id: string) => `.runr/runs/${id}/record`;
  const goodJournal = fs.readFileSync(path.join(template, rec(good), 'events.jsonl'), 'utf8').trimEnd().split('\n');
  expect(goodJournal).toHaveLength(4);
  ctx = { good, legacy: LEGACY_ID, rec, goodJournal };
});

afterAll(() => {
  if (template !== '') removeRepo(template);
});

/** Every path under `root` (but .git) → 'dir' or the sha256 of its content. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, ent.name);
      const rel = path.relative(root, abs);
      if (rel === '.git') continue;
      if (ent.isDirectory()) {
        out.set(rel, 'dir');
        walk(abs);
      } else if (ent.isSymbolicLink()) out.set(rel, `link:${fs.readlinkSync(abs)}`);
      else out.set(rel, crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

function diff(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of b) if (!a.has(k)) out.push(`+ ${k}`);
  else if (a.get(k) !== v) out.push(`~ ${k}`);
  for (const k of a.keys()) if (!b.has(k)) out.push(`- ${k}`);
  return out.sort();
}

const val = <T>(v: T | ((c: Ctx) => T), c: Ctx): T => (typeof v === 'function' ? (v as (c: Ctx) => T)(c) : v);

function defineCases(group: string, cases: BadCase[]): void {
  describe.concurrent(group, () => {
    for (const c of cases) {
      it(c.name, async ({ expect }) => {
        const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bad-')));
        try {
          fs.cpSync(template, repo, { recursive: true });
          for (const [rel, content] of Object.entries(val(c.files ?? {}, ctx))) {
            if (content === null) fs.rmSync(path.join(repo, rel), { force: true });
            else writeFile(repo, rel, content);
          }
          const runsBefore = fs.readdirSync(path.join(repo, '.runr', 'runs')).length;
          const before = snapshot(repo);
          const args = val(c.args, ctx);
          const r = await runrAsync(args, { cwd: repo });
          const changes = diff(before, snapshot(repo));
          const lines = r.stderr.split('\n');
          const shown = `exit ${r.status}; stderr: ${JSON.stringify(r.stderr)}; stdout: ${JSON.stringify(r.stdout.slice(0, 200))}`;
          expect(r.status, shown).toBe(2);
          expect(r.stderr, 'no stack trace').not.toMatch(/^ {4}at /m);
          expect(lines.length === 2 && lines[1] === '', `exactly one line on stderr: ${shown}`).toBe(true);
          const line = lines[0] ?? '';
          // Under --json the error is also one object on stdout (issue 15, item 7); otherwise nothing.
          const jsonMode = (args.includes('--') ? args.slice(0, args.indexOf('--')) : args).includes('--json');
          if (jsonMode) {
            const out = r.stdout.trim().split('\n');
            expect(out, `one error object on stdout: ${shown}`).toHaveLength(1);
            const obj = JSON.parse(out[0] ?? '') as { error: { code: string; message: string } };
            expect(`error: ${obj.error.message}`, 'the same message as stderr').toBe(line);
          } else expect(r.stdout, 'nothing on stdout').toBe('');
          if (c.file !== undefined) expect(line, 'names the file and the field').toMatch(new RegExp(`^error: ${escape(val(c.file, ctx))}: ${escape(c.field ?? '')}: \\S`));
          else expect(line.startsWith('error: ') && line.includes(c.flag ?? '--'), `names ${c.flag ?? 'the flag'}: ${line}`).toBe(true);
          expect(changes, 'nothing written').toEqual([]);
          expect(fs.readdirSync(path.join(repo, '.runr', 'runs'))).toHaveLength(runsBefore);
        } finally {
          fs.rmSync(repo, { recursive: true, force: true });
        }
      });
    }
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('bad input exits 2 with one line naming the file and field, and writes nothing', () => {
  it('has a corpus of at least 50 cases', () => {
    expect(contractCases.length + workflowCases.length + runIdCases.length + recordCases.length + flagCases.length).toBeGreaterThanOrEqual(50);
  });
  defineCases('contracts', contractCases);
  defineCases('workflow files', workflowCases);
  defineCases('run ids', runIdCases);
  defineCases('records and config', recordCases);
  defineCases('flags', flagCases);
});
