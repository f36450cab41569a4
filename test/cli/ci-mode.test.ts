/** CI mode (`runr run <workflow>`): command executors with a retry, and a manual gate finished from a second process. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, esyRepo, json, put, runr, runrAsync } from './workflow-cli.js';

function commandWorkflow(repo: string, secondGateFailsFirst: boolean): void {
  put(repo, '.runr/contracts/A.contract.json', JSON.stringify({ gate: 'A', name: 'Alpha', required_outputs: { all_of: [{ path: 'out/{slug}/a.md' }] }, validations: [] }));
  put(repo, '.runr/contracts/B.contract.json', JSON.stringify({ gate: 'B', name: 'Beta', required_outputs: { all_of: [{ path: 'out/{slug}/b.md' }] }, validations: [{ type: 'contains_text', target: 'out/{slug}/b.md', text: 'good' }] }));
  const writer = (file: string, text: string) => [process.execPath, '-e', `require('fs').mkdirSync('out/'+process.env.RUNR_SLUG,{recursive:true});require('fs').writeFileSync('out/'+process.env.RUNR_SLUG+'/${file}', ${text})`];
  put(
    repo,
    '.runr/workflows/pipe.yaml',
    [
      'workflow: pipe',
      'version: "1"',
      'gates:',
      '  - gate: A',
      '    name: Alpha',
      '    executor: command',
      `    command: ${JSON.stringify(writer('a.md', "'a'"))}`,
      '  - gate: B',
      '    name: Beta',
      '    executor: command',
      '    retries: 1',
      `    command: ${JSON.stringify(writer('b.md', secondGateFailsFirst ? "process.env.RUNR_ATTEMPT==='1'?'bad':'good'" : "'bad'"))}`,
      '',
    ].join('\n'),
  );
}

describe('CI mode with command executors', () => {
  it('runs every gate, retries a failed gate, passes, records invocations and prompt packets', () => {
    const repo = esyRepo();
    commandWorkflow(repo, true);
    const r = runr(repo, ['run', 'pipe', '--slug', 's1', '--artifact-path', 'out/s1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = json<{ run_id: string; status: string; gates: Array<{ gate: string; status: string; attempts: number }> }>(r);
    expect(out.status).toBe('PASSED');
    expect(out.gates).toEqual([
      { gate: 'A', status: 'PASS', attempts: 1, failure_reason: null },
      { gate: 'B', status: 'PASS', attempts: 2, failure_reason: null },
    ]);
    const rec = json<{ invocations: unknown[]; gates: Array<{ attempts: Array<{ prompt_sha256: string; failure_reason: string | null }> }> }>(runr(repo, ['run', 'show', '--run', out.run_id, '--json']));
    expect(rec.invocations).toHaveLength(3);
    expect(rec.gates[1]!.attempts[0]!.failure_reason).toBe('Missing text: good');
    expect(rec.gates[0]!.attempts[0]!.prompt_sha256).toMatch(/^[0-9a-f]{64}$/);
    const logs = path.join(repo, '.runr/runs', out.run_id, 'logs');
    expect(fs.readFileSync(path.join(logs, 'gates/B/prompt.txt'), 'utf8')).toContain('## Previous attempt failed');
    expect(fs.existsSync(path.join(logs, 'gates/A/attempt-1.log'))).toBe(true);
    expect(fs.readFileSync(path.join(logs, 'prompts/original.txt'), 'utf8')).toContain('Topic: s1');
  });

  it('stops on the first blocking failure and exits 1', () => {
    const repo = esyRepo();
    commandWorkflow(repo, false);
    const r = runr(repo, ['run', 'pipe', '--slug', 's2', '--artifact-path', 'out/s2', '--json']);
    expect(r.status).toBe(1);
    expect(json(r)).toMatchObject({ status: 'FAILED', failed_gate: 'B', outcome: 'failed' });
  });

  it('reads --prompt-file relative to the repository root and records its sha256', () => {
    const repo = esyRepo();
    commandWorkflow(repo, true);
    put(repo, 'prompts/topic.txt', 'Write about robots.');
    fs.mkdirSync(path.join(repo, 'out'), { recursive: true });
    const r = runr(path.join(repo, 'out'), ['run', 'pipe', '--slug', 's3', '--artifact-path', 'out/s3', '--prompt-file', 'prompts/topic.txt', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rec = json<{ prompt: { file: string; sha256: string } }>(runr(repo, ['run', 'show', '--run', 'latest', '--json']));
    expect(rec.prompt.file).toBe('prompts/topic.txt');
    const missing = runr(repo, ['run', 'pipe', '--slug', 's4', '--artifact-path', 'x', '--prompt-file', 'nope.txt']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.txt');
  });
});

describe('CI mode with a manual gate (no TTY)', () => {
  it('waits until the gate is finished from a second process', async () => {
    const repo = esyRepo();
    put(repo, '.runr/contracts/M.contract.json', JSON.stringify({ gate: 'M', name: 'Manual', required_outputs: { all_of: [{ path: 'done/{slug}.md' }] } }));
    put(repo, '.runr/workflows/human.json', JSON.stringify({ workflow: 'human', gates: [{ gate: 'M', name: 'Manual', agent: 'me' }] }));
    const ci = runrAsync(repo, ['run', 'human', '--slug', 'h1', '--artifact-path', 'done', '--timeout', '60', '--json']);
    // Wait for the attempt to be open, then finish it from "another shell" with the output in place.
    let runId = '';
    for (let i = 0; i < 100 && runId === ''; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const list = json<{ runs: Array<{ run_id: string; gates: Array<{ status: string }> }> }>(runr(repo, ['run', 'list', '--json']));
      const run = list.runs[0];
      if (run?.gates[0]?.status === 'RUNNING') runId = run.run_id;
    }
    expect(runId).not.toBe('');
    const early = runr(repo, ['gate', 'finish', '--run', runId, '--gate', 'M', '--json']);
    expect(json(early).status).toBe('FAIL');
    const result = await ci;
    expect(result.status).toBe(1);
    expect(json(result)).toMatchObject({ run_id: runId, status: 'FAILED', failed_gate: 'M' });
  });

  it('validates by itself once the required outputs exist and stop changing', async () => {
    const repo = esyRepo();
    put(repo, '.runr/contracts/M.contract.json', JSON.stringify({ gate: 'M', name: 'Manual', required_outputs: { all_of: [{ path: 'done/{slug}.md' }] } }));
    put(repo, '.runr/workflows/human.json', JSON.stringify({ workflow: 'human', gates: [{ gate: 'M', name: 'Manual', agent: 'me' }] }));
    const ci = runrAsync(repo, ['run', 'human', '--slug', 'h2', '--artifact-path', 'done', '--timeout', '60', '--json']);
    await new Promise((r) => setTimeout(r, 800));
    put(repo, 'done/h2.md', 'written by a human');
    const result = await ci;
    expect(result.status, result.stderr).toBe(0);
    expect(json(result)).toMatchObject({ status: 'PASSED' });
  });

  it('times out waiting and fails the gate', () => {
    const repo = esyRepo();
    put(repo, '.runr/contracts/M.contract.json', JSON.stringify({ gate: 'M', name: 'Manual', required_outputs: { all_of: [{ path: 'never.md' }] } }));
    put(repo, '.runr/workflows/human.json', JSON.stringify({ workflow: 'human', gates: [{ gate: 'M', name: 'Manual' }] }));
    const r = runr(repo, ['run', 'human', '--slug', 'h3', '--artifact-path', 'x', '--timeout', '1', '--json']);
    expect(r.status).toBe(1);
    expect(json<{ gates: Array<{ failure_reason: string }> }>(r).gates[0]!.failure_reason).toMatch(/Timed out after 1 s/);
  });
});

describe('secrets', () => {
  it('a command that prints a token from the environment leaves no trace in record/ or logs/', () => {
    const repo = esyRepo();
    put(repo, '.runr/contracts/S.contract.json', JSON.stringify({ gate: 'S', name: 'Secret', validations: [{ type: 'command', argv: [process.execPath, '-e', 'console.log(process.env.DEPLOY_TOKEN)'] }] }));
    put(repo, '.runr/workflows/sec.json', JSON.stringify({ workflow: 'sec', gates: [{ gate: 'S', name: 'Secret', executor: 'command', command: [process.execPath, '-e', 'console.log("token is " + process.env.DEPLOY_TOKEN); process.exit(1)'] }] }));
    const secret = 'dpl_9f8e7d6c5b4a39281706';
    const r = runr(repo, ['run', 'sec', '--slug', 'sec', '--artifact-path', 'x', '--param', `note=${secret}`, '--json'], { DEPLOY_TOKEN: secret });
    expect(r.status).toBe(1);
    const runDir = path.join(repo, '.runr/runs', json<{ run_id: string }>(r).run_id);
    const all: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else all.push(fs.readFileSync(p, 'utf8'));
      }
    };
    walk(runDir);
    expect(all.length).toBeGreaterThan(3);
    expect(all.join('\n')).not.toContain(secret);
    expect(all.join('\n')).toContain('[REDACTED:DEPLOY_TOKEN]');
  });
});

describe('validators through the built CLI', () => {
  it('json_schema (ajv loaded lazily) fails with the violation, then passes', () => {
    const repo = esyRepo();
    put(repo, '.runr/contracts/J.contract.json', JSON.stringify({ gate: 'J', name: 'J', validations: [{ type: 'json_schema', target: 'd.json', schema: { type: 'object', required: ['n'] } }] }));
    put(repo, '.runr/workflows/j.yml', 'workflow: j\ngates:\n  - {gate: J, name: J, executor: command, command: ["true"]}\n');
    put(repo, 'd.json', '{}');
    const bad = runr(repo, ['run', 'j', '--slug', 'j1', '--artifact-path', 'a', '--json']);
    expect(bad.status).toBe(1);
    expect(json<{ gates: Array<{ failure_reason: string }> }>(bad).gates[0]!.failure_reason).toContain("must have required property 'n'");
    put(repo, 'd.json', '{"n": 1}');
    expect(runr(repo, ['run', 'j', '--slug', 'j2', '--artifact-path', 'a']).status).toBe(0);
  });
});

describe('interruption', () => {
  it('Ctrl-C while a manual gate waits: exit 130, the attempt fails with "Interrupted"', async () => {
    const repo = esyRepo();
    put(repo, '.runr/contracts/M.contract.json', JSON.stringify({ gate: 'M', name: 'Manual', required_outputs: { all_of: [{ path: 'never.md' }] } }));
    put(repo, '.runr/workflows/human.json', JSON.stringify({ workflow: 'human', gates: [{ gate: 'M', name: 'Manual' }] }));
    const child = spawn(process.execPath, [BIN, 'run', 'human', '--slug', 'i1', '--artifact-path', 'x', '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (let i = 0; i < 100 && !stderr.includes('waiting for the required outputs'); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await done).toBe(130);
    const rec = json<{ gates: Array<{ attempts: Array<{ status: string; failure_reason: string }> }> }>(runr(repo, ['run', 'show', '--run', 'latest', '--json']));
    expect(rec.gates[0]!.attempts[0]).toMatchObject({ status: 'FAIL', failure_reason: 'Interrupted' });
  });
});
