/** Seed 001's manual flow, word for word, with the original tool's real contracts. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { esyRepo, json, put, runr } from './workflow-cli.js';

const ART = 'src/app/essays/etymology/the-word-robot';
let repo: string;
let runId: string;

beforeAll(() => {
  repo = esyRepo();
});

describe('manual mode (seed 001)', () => {
  it('run start prints {run_id, run_dir, ...} and creates the record and logs', () => {
    const r = runr(repo, ['run', 'start', '--workflow', 'visual-essay', '--slug', 'the-word-robot', '--artifact-path', ART, '--depth', 'standard', '--json']);
    expect(r.status).toBe(0);
    const out = json<{ run_id: string; run_dir: string; status: string; gates: string[] }>(r);
    expect(out.run_id).toMatch(/^run_\d{8}T\d{9}Z_the-word-robot_[a-z0-9]{6}$/);
    expect(out.run_dir).toBe(`.runr/runs/${out.run_id}`);
    expect(out.status).toBe('QUEUED');
    expect(out.gates).toEqual(['G1', 'G2', 'G3']);
    runId = out.run_id;
    expect(fs.existsSync(path.join(repo, out.run_dir, 'record/RUN.json'))).toBe(true);
    expect(fs.existsSync(path.join(repo, out.run_dir, 'logs'))).toBe(true);
  });

  it('gate finish before gate start is refused', () => {
    const r = runr(repo, ['gate', 'finish', '--run', runId, '--gate', 'G2']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("No attempt started for gate G2. Call 'gate start' first.");
  });

  it('G2: fails with the original failure_reason, then passes on attempt 2', () => {
    expect(runr(repo, ['gate', 'start', '--run', runId, '--gate', 'G2', '--agent', 'research-orchestrator']).status).toBe(0);
    put(repo, `${ART}/research/CITATIONS.md`, Array.from({ length: 10 }, (_, i) => `### Source ${i + 1}\nhttps://ex.org/${i}\n`).join('\n'));
    const fail = runr(repo, ['gate', 'finish', '--run', runId, '--gate', 'G2', '--json']);
    expect(fail.status).toBe(1);
    const f = json<{ status: string; failure_reason: string; run_status: string }>(fail);
    expect(f.status).toBe('FAIL');
    expect(f.run_status).toBe('FAILED');
    expect(f.failure_reason).toBe(
      'Missing: {artifact_path}/research/SYNTHESIS.md; Missing: {artifact_path}/research/FIGURES.md; Missing: {artifact_path}/research/QUOTES.md; Missing: {artifact_path}/research/TIMELINE.md; Missing: {artifact_path}/research/VISUALS.md',
    );
    for (const n of ['SYNTHESIS', 'FIGURES', 'QUOTES', 'TIMELINE', 'VISUALS']) put(repo, `${ART}/research/${n}.md`, `# ${n}\n`);
    const start2 = json<{ attempt: number; status: string }>(runr(repo, ['gate', 'start', '--run', runId, '--gate', 'G2', '--agent', 'research-orchestrator', '--json']));
    expect(start2).toMatchObject({ attempt: 2, status: 'RUNNING' });
    const inv = runr(repo, ['invocation', 'record', '--run', runId, '--gate', 'G2', '--agent', 'research-citations-expert', '--json']);
    expect(inv.status).toBe(0);
    expect(json(inv).invocation_id).toMatch(/^inv_\d+_[a-z0-9]{4}$/);
    const pass = runr(repo, ['gate', 'finish', '--run', runId, '--gate', 'G2', '--json']);
    expect(pass.status).toBe(0);
    expect(json(pass)).toMatchObject({ status: 'PASS', attempt: 2, revalidation: false });
  });

  it('G3: the [DRAFT] warning is recorded but the gate passes; G1 via any_of', () => {
    put(repo, 'orchestration/skills/visual-essay-invocation/specs/the-word-robot.md', '[DRAFT]\n' + [1, 2, 3, 4, 5, 6].map((i) => `## Layer ${i}\n`).join(''));
    runr(repo, ['gate', 'start', '--run', runId, '--gate', 'G3', '--agent', 'visual-essay-invocation-agent']);
    const g3 = json<{ status: string; warnings: string[] }>(runr(repo, ['gate', 'finish', '--run', runId, '--gate', 'G3', '--json']));
    expect(g3.status).toBe('PASS');
    expect(g3.warnings).toHaveLength(1);
    runr(repo, ['gate', 'start', '--run', runId, '--gate', 'G1', '--agent', 'visual-essay-orchestrator']);
    put(repo, 'orchestration/projects/the-word-robot/INTAKE-APPROVAL.md', 'approved');
    expect(runr(repo, ['gate', 'finish', '--run', runId, '--gate', 'G1']).status).toBe(0);
  });

  it('a second gate finish records a re-validation instead of overwriting silently', () => {
    const r = json<{ revalidation: boolean; status: string }>(runr(repo, ['gate', 'finish', '--run', runId, '--gate', 'G1', '--json']));
    expect(r).toMatchObject({ revalidation: true, status: 'PASS' });
    const run = json<{ gates: Array<{ gate: string; attempts: Array<{ revalidations?: unknown[] }> }> }>(runr(repo, ['run', 'show', '--run', runId, '--json']));
    expect(run.gates.find((g) => g.gate === 'G1')!.attempts[0]!.revalidations).toHaveLength(1);
  });

  it('run complete derives PASSED; the record keeps the original format without absolute paths', () => {
    const r = runr(repo, ['run', 'complete', '--run', runId, '--json']);
    expect(r.status).toBe(0);
    expect(json(r).status).toBe('PASSED');
    const recordDir = path.join(repo, '.runr/runs', runId, 'record');
    const text = fs.readFileSync(path.join(recordDir, 'RUN.json'), 'utf8');
    expect(text).not.toContain(repo);
    const rec = JSON.parse(text);
    for (const k of ['run_id', 'workflow', 'depth', 'prompt', 'status', 'started_at', 'finished_at', 'gates', 'invocations', 'artifacts_index', 'validations', 'events', 'schema_version']) expect(rec).toHaveProperty(k);
    expect(rec.events.map((e: { type: string }) => e.type)).toEqual(['RUN_STARTED', 'GATE_STARTED', 'GATE_FAILED', 'GATE_STARTED', 'INVOCATION_RECORDED', 'GATE_PASSED', 'GATE_STARTED', 'GATE_PASSED', 'GATE_STARTED', 'GATE_PASSED', 'GATE_PASSED', 'RUN_COMPLETED']);
    const att = JSON.parse(fs.readFileSync(path.join(recordDir, 'gates/G2/attempt-2.json'), 'utf8'));
    expect(att.invocation_ids).toHaveLength(1);
    expect(att).toEqual({ schema_version: 1, ...rec.gates.find((g: { gate: string }) => g.gate === 'G2').attempts[1] });
    expect(rec.artifacts_index.find((a: { path: string }) => a.path.endsWith('CITATIONS.md'))).toHaveProperty('updated_at');
  });

  it('audit verifies the chain and re-hashes; an edited output is reported as drift (exit 1)', () => {
    const ok = runr(repo, ['audit', runId, '--json']);
    expect(ok.status).toBe(0);
    expect(json(ok)).toMatchObject({ ok: true, journal: { chain_ok: true } });
    fs.appendFileSync(path.join(repo, ART, 'research/QUOTES.md'), 'edit');
    const bad = runr(repo, ['audit', runId, '--json']);
    expect(bad.status).toBe(1);
    const rep = json<{ artifacts: Array<{ path: string; status: string }> }>(bad);
    expect(rep.artifacts.find((a) => a.path.endsWith('QUOTES.md'))!.status).toBe('drift');
  });

  it('run list shows it; gate fail on an unknown gate and unknown runs are clear errors', () => {
    const list = json<{ runs: Array<{ run_id: string; status: string }> }>(runr(repo, ['run', 'list', '--json']));
    expect(list.runs.map((r) => r.run_id)).toContain(runId);
    const g = runr(repo, ['gate', 'fail', '--run', runId, '--gate', 'G9', '--reason', 'x']);
    expect(g.status).toBe(2);
    expect(g.stderr).toMatch(/Gate not found: G9 \(run .* has G1, G2, G3\)/);
    const u = runr(repo, ['run', 'show', '--run', 'run_19990101']);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('Run not found');
  });
});

describe('gate fail and invocation quirks', () => {
  it('gate fail with no attempt creates a manual attempt; run status FAILED; later gate start sets RUNNING', () => {
    const id = json<{ run_id: string }>(runr(repo, ['run', 'start', '--workflow', 'visual-essay', '--slug', 'x', '--artifact-path', 'a', '--json'])).run_id;
    const f = json<{ attempt: number; created_attempt: boolean; run_status: string }>(runr(repo, ['gate', 'fail', '--run', id, '--gate', 'G2', '--reason', 'Missing required quotes', '--json']));
    expect(f).toMatchObject({ attempt: 1, created_attempt: true, run_status: 'FAILED' });
    const rec = json<{ status: string; gates: Array<{ gate: string; attempts: Array<{ agent: string; failure_reason: string }> }> }>(runr(repo, ['run', 'show', '--run', id, '--json']));
    expect(rec.gates.find((g) => g.gate === 'G2')!.attempts[0]).toMatchObject({ agent: 'manual', failure_reason: 'Missing required quotes' });
    runr(repo, ['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a']);
    expect(json(runr(repo, ['run', 'show', '--run', id, '--json'])).status).toBe('RUNNING');
    const c = runr(repo, ['run', 'complete', '--run', id, '--status', 'CANCELED', '--json']);
    expect(json(c).status).toBe('CANCELED');
    expect(runr(repo, ['run', 'complete', '--run', id, '--status', 'DONE']).status).toBe(2);
  });

  it('an invocation recorded after a finish updates RUN.json and the attempt file alike', () => {
    const id = json<{ run_id: string }>(runr(repo, ['run', 'start', '--workflow', 'visual-essay', '--slug', 'y', '--artifact-path', 'b', '--json'])).run_id;
    runr(repo, ['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a']);
    runr(repo, ['gate', 'finish', '--run', id, '--gate', 'G1']);
    runr(repo, ['invocation', 'record', '--run', id, '--gate', 'G1', '--agent', 'late', '--status', 'FAIL']);
    const rec = json<{ gates: Array<{ gate: string; attempts: Array<{ invocation_ids: string[] }> }> }>(runr(repo, ['run', 'show', '--run', id, '--json']));
    const ids = rec.gates.find((g) => g.gate === 'G1')!.attempts[0]!.invocation_ids;
    const file = JSON.parse(fs.readFileSync(path.join(repo, '.runr/runs', id, 'record/gates/G1/attempt-1.json'), 'utf8'));
    expect(ids).toHaveLength(1);
    expect(file.invocation_ids).toEqual(ids);
  });
});
