/**
 * Issue 15, items 2, 3, 4, 4b: workflow runs as a new user and a meta-agent meet them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDir, makeRepo, removeRepo, runr, runrJson, writeFile } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

function repo(): string {
  const d = makeRepo();
  dirs.push(d);
  return d;
}

function startRun(cwd: string): string {
  const r = runrJson<{ run_id: string }>(['run', 'start', '--workflow', 'visual-essay', '--slug', 'the-word-robot', '--artifact-path', 'essays/robot'], { cwd });
  expect(r.status, r.stderr).toBe(0);
  return r.json.run_id;
}

describe('item 2: a workflow run waiting on a manual gate', () => {
  it('is RUNNING with the open gate and a next action that works', () => {
    const cwd = repo();
    const id = startRun(cwd);
    expect(runr(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'visual-essay-orchestrator'], { cwd }).status).toBe(0);
    const st = runrJson<Record<string, unknown>>(['status', id], { cwd });
    expect(st.status).toBe(0);
    expect(st.json).toMatchObject({ status: 'RUNNING', stop_reason: null, open_gate: 'G1', next_action: 'finish_gate', suggested_command: `runr gate finish --run ${id} --gate G1`, alive: true });
    const rep = runrJson<Record<string, unknown>>(['report', id], { cwd });
    expect(rep.json).toMatchObject({ outcome: 'running', stop_reason: null, next_action: 'finish_gate', suggested_command: `runr gate finish --run ${id} --gate G1` });
    const human = runr(['report', id], { cwd });
    expect(human.stdout).not.toContain('interrupted');
    expect(human.stdout).toContain(`runr gate finish --run ${id} --gate G1`);
    // The record agrees, and the suggested command runs (it fails validation here: exit 1, not 2).
    const list = runrJson<{ runs: Array<{ run_id: string; status: string }> }>(['run', 'list'], { cwd });
    expect(list.json.runs.find((r) => r.run_id === id)?.status).toBe('RUNNING');
    const suggested = String(st.json.suggested_command).split(' ').slice(1);
    writeFile(cwd, 'essays/robot/research/INTAKE.md', '# Intake\n');
    const fin = runr(suggested, { cwd });
    expect(fin.status, fin.stderr).toBe(0);
    const after = runrJson<Record<string, unknown>>(['status', id], { cwd });
    expect(after.json).toMatchObject({ status: 'RUNNING', open_gate: null, next_action: 'start_gate', suggested_command: `runr gate start --run ${id} --gate G2 --agent research-orchestrator` });
  });

  it('a QUEUED run suggests its first gate; a run with every gate passed suggests run complete', () => {
    const cwd = repo();
    const id = startRun(cwd);
    expect(runrJson<Record<string, unknown>>(['status', id], { cwd }).json).toMatchObject({ status: 'QUEUED', next_action: 'start_gate', suggested_command: `runr gate start --run ${id} --gate G1 --agent visual-essay-orchestrator` });
  });
});

describe('item 3: audit on records of the Orchestration Runner that runr continued', () => {
  // The fixture's essay files are not in the repository, so the artifacts are reported missing;
  // the journal, the snapshot and the attempt files must all be in step.
  type Audit = { journal: { chain_ok: boolean }; snapshot: { in_step: boolean; detail: string }; attempt_files: { mismatched: string[] } };
  it('snapshot in step after gate start and after invocation record', () => {
    const cwd = repo();
    fs.cpSync(path.join(fixtureDir, 'runs'), path.join(cwd, 'orchestration/runs'), { recursive: true });
    const id = 'run_20260121T024259697Z_test-partial_qhl9a6';
    expect(runr(['gate', 'start', '--run', id, '--gate', 'G3', '--agent', 'visual-essay-invocation-agent'], { cwd }).status).toBe(0);
    expect(runr(['audit', id], { cwd }).stdout).toContain('✓ snapshot: RUN.json equals a replay');
    expect(runrJson<Audit>(['audit', id], { cwd }).json).toMatchObject({ journal: { chain_ok: true }, snapshot: { in_step: true }, attempt_files: { mismatched: [] } });
    const other = 'run_20260119T222303959Z_the-word-robot_uc2s1f';
    expect(runr(['invocation', 'record', '--run', other, '--gate', 'G2', '--agent', 'research-orchestrator', '--status', 'SUCCESS'], { cwd }).status).toBe(0);
    expect(runrJson<Audit>(['audit', other], { cwd }).json).toMatchObject({ journal: { chain_ok: true }, snapshot: { in_step: true }, attempt_files: { mismatched: [] } });
  });
});

describe('item 4: run complete --status PASSED over a failed blocking gate', () => {
  function failedRun(cwd: string): string {
    const id = startRun(cwd);
    expect(runr(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'x'], { cwd }).status).toBe(0);
    expect(runr(['gate', 'finish', '--run', id, '--gate', 'G1'], { cwd }).status).toBe(1);
    return id;
  }

  it('is refused (exit 1, naming the gate), also on a run already completed as FAILED', () => {
    const cwd = repo();
    const id = failedRun(cwd);
    let r = runr(['run', 'complete', '--run', id, '--status', 'PASSED'], { cwd });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/blocking gate G1 .*failed/);
    expect(r.stderr).toContain('--force');
    expect(runrJson<{ status: string }>(['run', 'show', '--run', id], { cwd }).json.status).toBe('FAILED');
    expect(runr(['run', 'complete', '--run', id, '--status', 'FAILED'], { cwd }).status).toBe(0);
    r = runr(['run', 'complete', '--run', id, '--status', 'PASSED'], { cwd });
    expect(r.status).toBe(1);
    expect(runrJson<{ status: string }>(['run', 'show', '--run', id], { cwd }).json.status).toBe('FAILED');
  });

  it('--force records the override; run show and audit display it', () => {
    const cwd = repo();
    const id = failedRun(cwd);
    const r = runrJson<{ status: string; forced_over: string[] }>(['run', 'complete', '--run', id, '--status', 'PASSED', '--force'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ status: 'PASSED', forced_over: ['G1'] });
    const show = runr(['run', 'show', '--run', id], { cwd });
    expect(show.stdout).toMatch(/forced:.*--force over failed blocking gate G1/);
    const events = fs.readFileSync(path.join(cwd, '.runr/runs', id, 'record/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[events.length - 1]).toMatchObject({ type: 'run.completed', status: 'PASSED', forced_over: [{ gate: 'G1', attempt: 1 }] });
    const audit = runr(['audit', id], { cwd });
    expect(audit.status, audit.stdout).toBe(0);
    expect(audit.stdout).toMatch(/override: marked PASSED with --force over failed blocking gate G1/);
    expect(runrJson<{ overrides: Array<{ gates: string[] }> }>(['audit', id], { cwd }).json.overrides).toMatchObject([{ status: 'PASSED', gates: ['G1'] }]);
  });
});

describe('item 4b: run complete records the outcome asked for and exits 0', () => {
  it('FAILED and CANCELED exit 0 and print the status', () => {
    const cwd = repo();
    for (const status of ['FAILED', 'CANCELED']) {
      const id = startRun(cwd);
      const r = runr(['run', 'complete', '--run', id, '--status', status], { cwd });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`completed: ${status}`);
    }
  });
});
