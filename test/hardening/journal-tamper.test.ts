/**
 * Journal tampering (issue 9): a deleted, swapped or duplicated line, an edited status, a journal
 * truncated mid-file, emptied or deleted. Writers refuse to extend such a chain (exit 2, one line
 * pointing at `runr audit`, nothing written); `audit` reports the break instead of crashing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/cli.js';
import { pool, removeRepo, runrAsync } from './helpers.js';

type Tamper = (lines: string[], text: string) => string | null;

const TAMPERS: Record<string, Tamper> = {
  'deleted line': (l) => [...l.slice(0, 2), ...l.slice(3)].join('\n') + '\n',
  'swapped lines': (l) => [l[0], l[2], l[1], ...l.slice(3)].join('\n') + '\n',
  'duplicated line': (l) => [...l.slice(0, 3), l[2], ...l.slice(3)].join('\n') + '\n',
  'edited gate.finished status': (l) => l.map((x) => (x.includes('"type":"gate.finished"') ? x.replace('"status":"FAIL"', '"status":"PASS"') : x)).join('\n') + '\n',
  'truncated mid-file': (_l, t) => t.slice(0, Math.floor(t.length / 2)),
  'truncated at a line boundary': (l) => l.slice(0, 2).join('\n') + '\n',
  emptied: () => '',
  deleted: () => null,
};

let dir = '';
const ids = new Map<string, string>();
const runDirs = new Map<string, string>();
const runDir = (id: string) => path.join(dir, runDirs.get(id) ?? '');

async function ok(args: string[]): Promise<string> {
  const r = await runrAsync(args, { cwd: dir });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  dir = makeRepo();
  await pool(Object.keys(TAMPERS), 4, async (name) => {
    const started = JSON.parse(await ok(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--json'])) as { run_id: string; run_dir: string };
    const id = started.run_id;
    runDirs.set(id, started.run_dir);
    await ok(['gate', 'start', '--run', id, '--gate', 'G2', '--agent', 'x']);
    await ok(['invocation', 'record', '--run', id, '--gate', 'G2', '--agent', 'y']);
    await ok(['gate', 'finish', '--run', id, '--gate', 'G2']);
    await ok(['invocation', 'record', '--run', id, '--gate', 'G2', '--agent', 'z']);
    const file = path.join(runDir(id), 'record/events.jsonl');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('"type":"gate.finished"');
    const out = TAMPERS[name]!(text.trimEnd().split('\n'), text);
    if (out === null) fs.rmSync(file);
    else fs.writeFileSync(file, out);
    ids.set(name, id);
  });
}, 240_000);

afterAll(() => removeRepo(dir));

function journalState(id: string): string {
  const file = path.join(runDir(id), 'record/events.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(absent)';
}

describe.concurrent('a tampered journal', () => {
  for (const name of Object.keys(TAMPERS)) {
    it(`${name}: writers refuse (exit 2, pointing at runr audit), nothing written; audit reports it`, async () => {
      const id = ids.get(name)!;
      const before = journalState(id);
      const snap = fs.readFileSync(path.join(runDir(id), 'record/RUN.json'), 'utf8');
      for (const args of [
        ['invocation', 'record', '--run', id, '--gate', 'G2', '--agent', 'w'],
        ['gate', 'start', '--run', id, '--gate', 'G3', '--agent', 'w'],
        ['run', 'complete', '--run', id],
      ]) {
        const r = await runrAsync(args, { cwd: dir });
        expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/runr audit/);
        expect(r.stderr).toMatch(/events\.jsonl/);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(journalState(id)).toBe(before);
        expect(fs.readFileSync(path.join(runDir(id), 'record/RUN.json'), 'utf8')).toBe(snap);
      }
      const a = await runrAsync(['audit', id, '--json'], { cwd: dir });
      expect(a.status, a.stderr).toBe(1);
      const report = JSON.parse(a.stdout) as { ok: boolean; journal: { chain_ok: boolean }; snapshot: { in_step: boolean; detail: string } };
      expect(report.ok).toBe(false);
      expect(report.journal.chain_ok && report.snapshot.in_step).toBe(false);
    });
  }
});
