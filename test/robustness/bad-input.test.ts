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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRepo, writeFile } from '../helpers/cli.js';
import { runIdCases, recordCases, flagCases } from './bad-input-args.js';
import type { BadCase, Ctx } from './bad-input-cases.js';
import { LEGACY_ID } from './bad-input-cases.js';
import { contractCases, workflowCases } from './bad-input-files.js';
import { runrAsync } from './spawn.js';
import { buildTemplate, escapeRe, treeDiff, treeSnapshot } from './template.js';

let template = '';
let ctx: Ctx;

beforeAll(() => {
  const built = buildTemplate();
  template = built.dir;
  const rec = (id: string) => `.runr/runs/${id}/record`;
  const goodJournal = fs.readFileSync(path.join(template, rec(built.good), 'events.jsonl'), 'utf8').trimEnd().split('\n');
  expect(goodJournal).toHaveLength(4);
  ctx = { good: built.good, legacy: LEGACY_ID, rec, goodJournal };
});

afterAll(() => {
  if (template !== '') removeRepo(template);
});

const snapshot = (root: string) => treeSnapshot(root, 'hash');
const diff = treeDiff;

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
          if (c.file !== undefined) expect(line, 'names the file and the field').toMatch(new RegExp(`^error: ${escapeRe(val(c.file, ctx))}: ${escapeRe(c.field ?? '')}: \\S`));
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
