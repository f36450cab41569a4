/**
 * The generated bad-input corpus (issue 9; cases in corpus-gen.ts): at least 1,000 damaged inputs,
 * each in a fresh copy of a template repository, each asserting exit 2, exactly one line on stderr
 * (`error: <file>: <field>: <problem>`), no stack trace, nothing on stdout but the `--json` error
 * object, and nothing written (the tree, `.git` aside, is the same before and after).
 *
 * Most cases run in this process through `runCli`, the function the binary's entry calls
 * (in-process.ts): a thousand spawns would take minutes on a loaded 2-core machine. A sample of
 * every 20th case is also spawned as the built binary, and both results must be identical, so the
 * in-process path is proven to be the CLI's.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRepo } from '../helpers/cli.js';
import { escapeControl } from '../../src/core/one-line.js';
import { LEGACY_ID } from './bad-input-cases.js';
import type { GenCase } from './corpus-gen.js';
import { applyDamage, generateCorpus } from './corpus-gen.js';
import { runrInProcess } from './in-process.js';
import { runrAsync } from './spawn.js';
import { buildTemplate, escapeRe, treeDiff, treeSnapshot } from './template.js';
import type { RunrResult } from '../helpers/cli.js';

const SAMPLE_EVERY = 20;
const MIN_CASES = 1_000;

let template = '';
let cases: GenCase[] = [];

// The cases must exist when the tests are declared: build the template at collection time.
const built = buildTemplate();
template = built.dir;
cases = generateCorpus({ good: built.good, legacy: LEGACY_ID, read: (rel) => fs.readFileSync(path.join(template, rel)) });

afterAll(() => {
  if (template !== '') removeRepo(template);
});

const snapshot = (root: string) => treeSnapshot(root, 'stat');
const diff = treeDiff;

const mkfifo = (f: string) => execFileSync('mkfifo', [f]);

/** A fresh copy of the template. */
function freshCopy(): string {
  const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-corpus-')));
  fs.cpSync(template, repo, { recursive: true });
  return repo;
}

/**
 * In-process cases share one copy of the template per target file: the damage is applied, the
 * command runs, and the target is put back as the template has it. A case that wrote anything
 * fails, and its copy is thrown away so the next case starts clean.
 */
const copies = new Map<string, string>();

function putBack(repo: string, rel: string): void {
  const abs = path.join(repo, rel);
  fs.rmSync(abs, { recursive: true, force: true });
  fs.rmSync(`${abs}.loop`, { force: true });
  const orig = path.join(template, rel);
  if (fs.existsSync(orig)) fs.copyFileSync(orig, abs);
}

/** The case's assertions on one result and the tree change it made. */
function check(c: GenCase, r: RunrResult, changes: string[]): void {
  const shown = `${c.name}: exit ${r.status}; stderr: ${JSON.stringify(r.stderr.slice(0, 600))}; stdout: ${JSON.stringify(r.stdout.slice(0, 200))}`;
  expect(r.status, shown).toBe(2);
  expect(r.stderr, `no stack trace: ${shown}`).not.toMatch(/^ {4}at /m);
  const lines = r.stderr.split('\n');
  expect(lines.length === 2 && lines[1] === '', `exactly one line on stderr: ${shown}`).toBe(true);
  const line = lines[0] ?? '';
  expect(line, `names the file and the field: ${shown}`).toMatch(new RegExp(`^error: ${escapeRe(c.file)}: ${escapeRe(c.field)}: \\S`));
  // Every case runs with --json: the one error object, carrying the same message.
  const out = r.stdout.trim().split('\n');
  expect(out, `one error object on stdout: ${shown}`).toHaveLength(1);
  const obj = JSON.parse(out[0] ?? '') as { error: { message: string; file: string | null } };
  // stderr escapes control characters (a NUL shows as \x00); the JSON string carries them as they are.
  expect(`error: ${escapeControl(obj.error.message)}`, shown).toBe(line);
  expect(changes, `nothing written (${changes.join(', ')}): ${shown}`).toEqual([]);
}

async function runCase(c: GenCase, how: 'in-process' | 'spawn'): Promise<RunrResult> {
  const shared = how === 'in-process';
  let repo = shared ? copies.get(c.target) : undefined;
  if (repo === undefined) {
    repo = freshCopy();
    if (shared) copies.set(c.target, repo);
  }
  let changes: string[] = [];
  try {
    applyDamage(path.join(repo, c.target), c.damage, mkfifo);
    const before = snapshot(repo);
    const r = shared ? await runrInProcess(c.args, { cwd: repo }) : await runrAsync(c.args, { cwd: repo });
    changes = diff(before, snapshot(repo));
    check(c, r, changes);
    return r;
  } finally {
    if (shared) putBack(repo, c.target);
    if (!shared || changes.length > 0) {
      fs.rmSync(repo, { recursive: true, force: true });
      copies.delete(c.target);
    }
  }
}

afterAll(() => {
  for (const repo of copies.values()) fs.rmSync(repo, { recursive: true, force: true });
});

describe('generated bad-input corpus', () => {
  it(`has at least ${MIN_CASES} cases, every one with --json, and unique names`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES);
    expect(cases.every((c) => c.args.includes('--json'))).toBe(true);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  const inProcess = new Map<string, RunrResult>();

  describe('in process, through the CLI entry (runCli)', () => {
    beforeAll(() => {
      expect(fs.existsSync(template)).toBe(true);
    });
    for (const c of cases) {
      it(c.name, async () => {
        inProcess.set(c.name, await runCase(c, 'in-process'));
      });
    }
  });

  describe.concurrent(`a sample (every ${SAMPLE_EVERY}th case) spawned as the built binary gives the same result`, () => {
    for (const c of cases.filter((_, i) => i % SAMPLE_EVERY === 0)) {
      it(c.name, async ({ expect }) => {
        const spawned = await runCase(c, 'spawn');
        const mine = inProcess.get(c.name);
        expect(mine, 'the in-process run of this case passed').toBeDefined();
        expect({ status: spawned.status, stdout: spawned.stdout, stderr: spawned.stderr }).toEqual({ status: mine?.status, stdout: mine?.stdout, stderr: mine?.stderr });
      });
    }
  });
});
