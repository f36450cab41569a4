import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countSources, failureReason, isRequired } from '../../src/core/gates/failure-reason.js';
import { ContractSchema } from '../../src/core/schemas/contract.js';
import type { GateContext } from '../../src/gates/context.js';
import { evaluateContract } from '../../src/gates/evaluate.js';
import { runValidation } from '../../src/gates/validators/index.js';

const FIXTURES = path.resolve(__dirname, '../fixtures/esy-visual-essay/contracts');
const loadFixture = (g: string) => ContractSchema.parse(JSON.parse(fs.readFileSync(path.join(FIXTURES, `${g}.contract.json`), 'utf8')));

let root: string;
let ctx: GateContext;
const put = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-val-'));
  ctx = { root, vars: { slug: 'robot', artifact_path: 'essays/robot', run_id: 'run_x', depth: 'standard' }, depth: 'standard', redact: (s) => s, logDir: path.join(root, 'logs') };
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('min_sources heuristic', () => {
  it('counts ### Source headings case-insensitively, "### Sources…" included', () => {
    expect(countSources('### Source 1\n### source two\n### Sources and notes\n## Source x\n')).toBe(3);
  });
  it('falls back to unique URLs when there are no headings', () => {
    expect(countSources('see https://a.org/x and https://a.org/x and (https://b.org/y) <https://c.org/z>')).toBe(3);
  });
  it('uses headings, not URLs, when any heading exists', () => {
    expect(countSources('### Source 1\nhttps://a.org https://b.org https://c.org')).toBe(1);
  });
  it('threshold by depth, 8 when the depth has none; missing file counts 0', async () => {
    const spec = { type: 'min_sources' as const, target: '{artifact_path}/C.md', thresholds: { quick: 3 } };
    const r = await runValidation(spec, ctx);
    expect(r).toMatchObject({ type: 'min_sources', path: '{artifact_path}/C.md', count: 0, threshold: 8, depth: 'standard', pass: false });
    put('essays/robot/C.md', '### Source 1\n### Source 2\n### Source 3\n');
    const q = await runValidation(spec, { ...ctx, depth: 'quick' });
    expect(q).toMatchObject({ count: 3, threshold: 3, depth: 'quick', pass: true });
  });
  it('reports "Insufficient sources: c/t (depth: d)"', async () => {
    put('essays/robot/C.md', 'https://x.org/1\n');
    const r = await runValidation({ type: 'min_sources', target: '{artifact_path}/C.md', thresholds: { standard: 8 } }, ctx);
    expect(failureReason([r!])).toBe('Insufficient sources: 1/8 (depth: standard)');
  });
});

describe('contains_headings', () => {
  it('is a substring test: "## Layer 10" satisfies "## Layer 1" (original quirk)', async () => {
    put('spec.md', '## Layer 10\n');
    const r = await runValidation({ type: 'contains_headings', target: 'spec.md', required_headings: ['## Layer 1', '## Layer 2'] }, ctx);
    expect(r).toMatchObject({ pass: false, missing: ['## Layer 2'] });
  });
  it('a missing file fails with every heading missing', async () => {
    const r = await runValidation({ type: 'contains_headings', target: 'nope.md', required_headings: ['## A', '## B'] }, ctx);
    expect(r).toMatchObject({ pass: false, missing: ['## A', '## B'] });
    expect(failureReason([r!])).toBe('Missing headings: ## A, ## B');
  });
});

describe('not_contains', () => {
  it('a missing file passes', async () => {
    const r = await runValidation({ type: 'not_contains', target: 'nope.md', pattern: '[DRAFT]' }, ctx);
    expect(r).toMatchObject({ pass: true, found: false, severity: 'error' });
  });
  it('error severity fails with "Found forbidden pattern: p"', async () => {
    put('s.md', 'x [DRAFT] y');
    const r = await runValidation({ type: 'not_contains', target: 's.md', pattern: '[DRAFT]' }, ctx);
    expect(r).toMatchObject({ pass: false, found: true });
    expect(failureReason([r!])).toBe('Found forbidden pattern: [DRAFT]');
  });
  it('warning severity never fails; warning = found', async () => {
    put('s.md', 'x [DRAFT] y');
    const r = await runValidation({ type: 'not_contains', target: 's.md', pattern: '[DRAFT]', severity: 'warning' }, ctx);
    expect(r).toEqual({ type: 'not_contains', path: 's.md', pattern: '[DRAFT]', found: true, severity: 'warning', pass: true, warning: true });
  });
});

describe('required flags by depth', () => {
  it('required !== false by default; required_for_depth decides; optional_for_depth forces false', () => {
    expect(isRequired({}, 'standard')).toBe(true);
    expect(isRequired({ required: false }, 'standard')).toBe(false);
    expect(isRequired({ required_for_depth: ['standard', 'deep'], optional_for_depth: ['quick'] }, 'quick')).toBe(false);
    expect(isRequired({ required_for_depth: ['standard', 'deep'] }, 'deep')).toBe(true);
    expect(isRequired({ required: true, optional_for_depth: ['quick'] }, 'quick')).toBe(false);
  });
});

describe('the real fixture contracts', () => {
  it('G1: any_of fails with "None of required files exist: a, b", passes with either', async () => {
    const g1 = loadFixture('G1');
    const fail = await evaluateContract(g1, ctx);
    expect(fail.status).toBe('FAIL');
    expect(fail.failure_reason).toBe('None of required files exist: orchestration/projects/{slug}/INTAKE-APPROVAL.md, {artifact_path}/research/INTAKE.md');
    expect(fail.validations[0]).toMatchObject({ type: 'file_exists_any_of', pass: false, checked: [{ exists: false }, { exists: false }] });
    put('essays/robot/research/INTAKE.md', 'ok');
    const pass = await evaluateContract(g1, ctx);
    expect(pass.status).toBe('PASS');
    expect(pass.artifacts).toHaveLength(1);
    expect(pass.artifacts[0]).toMatchObject({ path: '{artifact_path}/research/INTAKE.md', exists: true });
    expect(pass.artifacts[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('G2 at quick depth: SYNTHESIS optional (no result, hashed with optional:true); Missing: lines joined with "; "', async () => {
    const g2 = loadFixture('G2');
    put('essays/robot/research/CITATIONS.md', '### Source 1\n### Source 2\n### Source 3\n');
    put('essays/robot/research/SYNTHESIS.md', 'syn');
    const quick = await evaluateContract(g2, { ...ctx, depth: 'quick' });
    expect(quick.validations.filter((v) => v.type === 'file_exists').map((v) => v.path)).not.toContain('{artifact_path}/research/SYNTHESIS.md');
    expect(quick.artifacts.find((a) => a.path.endsWith('SYNTHESIS.md'))).toMatchObject({ optional: true });
    expect(quick.failure_reason).toBe(
      'Missing: {artifact_path}/research/FIGURES.md; Missing: {artifact_path}/research/QUOTES.md; Missing: {artifact_path}/research/TIMELINE.md; Missing: {artifact_path}/research/VISUALS.md',
    );
    const standard = await evaluateContract(g2, ctx);
    expect(standard.failure_reason).toContain('Insufficient sources: 3/8 (depth: standard)');
    for (const f of ['FIGURES', 'QUOTES', 'TIMELINE', 'VISUALS']) put(`essays/robot/research/${f}.md`, f);
    put('essays/robot/research/CITATIONS.md', Array.from({ length: 8 }, (_, i) => `### Source ${i}`).join('\n'));
    const ok = await evaluateContract(g2, ctx);
    expect(ok.status).toBe('PASS');
    expect(ok.required_outputs).toHaveLength(6);
    expect(JSON.stringify(ok)).not.toContain(root);
  });

  it('G3: headings substring + [DRAFT] warning does not fail the gate', async () => {
    const g3 = loadFixture('G3');
    put('orchestration/skills/visual-essay-invocation/specs/robot.md', '[DRAFT]\n' + [1, 2, 3, 4, 5, 6].map((i) => `## Layer ${i}`).join('\n'));
    const r = await evaluateContract(g3, ctx);
    expect(r.status).toBe('PASS');
    expect(r.warnings).toHaveLength(1);
    expect(r.validations.find((v) => v.type === 'not_contains')).toMatchObject({ warning: true, pass: true, severity: 'warning' });
  });
});

describe('validation types added by runr', () => {
  it('dir_exists, min_file_count (glob, recursive), non_empty', async () => {
    put('out/a.md', 'a');
    put('out/b.txt', ' ');
    put('out/sub/c.md', 'c');
    expect(await runValidation({ type: 'dir_exists', target: 'out' }, ctx)).toMatchObject({ pass: true });
    expect(await runValidation({ type: 'dir_exists', target: 'out/a.md' }, ctx)).toMatchObject({ pass: false });
    expect(await runValidation({ type: 'min_file_count', target: 'out', min: 2, pattern: '*.md' }, ctx)).toMatchObject({ count: 1, pass: false });
    expect(await runValidation({ type: 'min_file_count', target: 'out', min: 2, pattern: '**/*.md', recursive: true }, ctx)).toMatchObject({ count: 2, pass: true });
    expect(await runValidation({ type: 'non_empty', target: 'out/b.txt' }, ctx)).toMatchObject({ pass: false });
    expect(await runValidation({ type: 'non_empty', target: 'out/a.md' }, ctx)).toMatchObject({ pass: true });
  });
  it('contains_text, regex_match, min_regex_count', async () => {
    put('t.md', 'alpha beta\nTODO one\nTODO two\n');
    expect(await runValidation({ type: 'contains_text', target: 't.md', text: ['alpha', 'gamma'] }, ctx)).toMatchObject({ pass: false, missing: ['gamma'] });
    expect(await runValidation({ type: 'regex_match', target: 't.md', pattern: '^TODO \\w+$' }, ctx)).toMatchObject({ pass: true });
    expect(await runValidation({ type: 'regex_match', target: 't.md', pattern: '^todo', flags: 'i' }, ctx)).toMatchObject({ pass: true });
    expect(await runValidation({ type: 'min_regex_count', target: 't.md', pattern: '^TODO', min: 3 }, ctx)).toMatchObject({ count: 2, pass: false });
    expect(await runValidation({ type: 'regex_match', target: 't.md', pattern: '(' }, ctx)).toMatchObject({ pass: false, error: 'invalid_pattern' });
  });
  it('json_schema with an inline schema', async () => {
    put('d.json', '{"n": "x"}');
    const r = await runValidation({ type: 'json_schema', target: 'd.json', schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }, ctx);
    expect(r).toMatchObject({ pass: false });
    expect((r!.errors as string[])[0]).toContain('/n');
    put('d.json', '{"n": 1}');
    expect(await runValidation({ type: 'json_schema', target: 'd.json', schema: { type: 'object', required: ['n'] } }, ctx)).toMatchObject({ pass: true });
  });
  it('sha256 compares the streamed digest', async () => {
    put('h.txt', 'hello\n');
    const good = '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03';
    expect(await runValidation({ type: 'sha256', target: 'h.txt', expected: good }, ctx)).toMatchObject({ pass: true, actual: good });
    expect(await runValidation({ type: 'sha256', target: 'h.txt', expected: '0'.repeat(64) }, ctx)).toMatchObject({ pass: false });
  });
  it('command runs an argv (no shell), passes on exit 0, fails on non-zero and on timeout', async () => {
    const ok = await runValidation({ type: 'command', argv: [process.execPath, '-e', 'process.exit(0)'] }, ctx);
    expect(ok).toMatchObject({ pass: true, exit_code: 0 });
    const bad = await runValidation({ type: 'command', argv: [process.execPath, '-e', 'process.exit(3)'] }, ctx);
    expect(bad).toMatchObject({ pass: false, exit_code: 3 });
    expect(failureReason([bad!])).toContain('exited 3');
    const slow = await runValidation({ type: 'command', argv: [process.execPath, '-e', 'setTimeout(()=>{}, 10000)'], timeout_s: 0.3 }, ctx);
    expect(slow).toMatchObject({ pass: false, timed_out: true });
    const shellish = await runValidation({ type: 'command', argv: ['echo', '$(touch pwned)'] }, ctx);
    expect(shellish).toMatchObject({ pass: true });
    expect(fs.existsSync(path.join(root, 'pwned'))).toBe(false);
  });
});

describe('containment', () => {
  it('a symlink that points outside the repository is refused, never read', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-out-'));
    fs.writeFileSync(path.join(outside, 'secret.md'), '## Layer 1');
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'link.md'));
    const r = await runValidation({ type: 'contains_headings', target: 'link.md', required_headings: ['## Layer 1'] }, ctx);
    expect(r).toMatchObject({ pass: false, error: 'path_escapes_repository' });
    expect(failureReason([r!])).toBe('Path escapes repository: link.md');
  });
  it('a variable that smuggles ".." escapes and fails', async () => {
    const r = await runValidation({ type: 'non_empty', target: '{artifact_path}/x' }, { ...ctx, vars: { ...ctx.vars, artifact_path: '../../etc' } });
    expect(r).toMatchObject({ pass: false, error: 'path_escapes_repository' });
  });
});
