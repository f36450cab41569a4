/** The claude and codex adapters against stand-in CLIs (test/fixtures/tasks/fake-*.mjs) on PATH. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { baseConfig, json, makeTaskRepo, readRecord, removeRepo, repoRoot, runrIn } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

/** A PATH directory where `claude` / `codex` are the stand-ins. */
function fakeBin(): string {
  const bin = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-fakebin-')));
  dirs.push(bin);
  for (const name of ['claude', 'codex']) fs.symlinkSync(path.join(repoRoot, 'test', 'fixtures', 'tasks', `fake-${name}.mjs`), path.join(bin, name));
  return bin;
}

describe('worker adapters', () => {
  it('claude: headless print mode, prompt on stdin and in a file, JSON result unwrapped, usage recorded', () => {
    const bin = fakeBin();
    const log = path.join(bin, 'calls.log');
    const d = makeTaskRepo({ config: baseConfig({ workers: { claude: { adapter: 'claude', env: { FAKE_LOG: log } } }, phases: {} }) });
    dirs.push(d);
    const env = { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin` };
    const r = runrIn(d, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground'], { env });
    expect(r.status, r.stderr).toBe(0);
    const id = json<Json>(r).run_id as string;
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toEqual(['PLAN  prompt-file=true stdin=true', 'IMPLEMENT m1 prompt-file=true stdin=true', 'REVIEW m1 prompt-file=true stdin=true']);
    expect(readRecord(d, id).metrics).toMatchObject({ total_tokens_in: 300, total_tokens_out: 60, cost_usd: 0.006 });
    expect(json<Json>(runrIn(d, ['doctor', '--json'], { env })).checks.find((c: Json) => c.name.startsWith('worker claude'))).toMatchObject({ status: 'fail' }); // the stand-in does not answer --version
  });

  it('codex: exec --json lines, an answer in $RUNR_RESULT_FILE', () => {
    const bin = fakeBin();
    const d = makeTaskRepo({ config: baseConfig({ workers: { codex: { adapter: 'codex' } }, phases: {} }) });
    dirs.push(d);
    const r = runrIn(d, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground'], { env: { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin` } });
    expect(r.status, r.stderr).toBe(0);
    const id = json<Json>(r).run_id as string;
    const events = fs.readFileSync(path.join(d, '.runr', 'runs', id, 'record', 'events.jsonl'), 'utf8');
    expect(events).toContain('"memo":"via result file"');
    expect(readRecord(d, id).metrics).toMatchObject({ total_tokens_in: 21, total_tokens_out: 9 });
  });

  it('a missing worker refuses to start (exit 2, nothing written); one that exits without an answer stops with worker_failed', () => {
    const d = makeTaskRepo({ config: baseConfig({ workers: { w: { adapter: 'command', command: 'no-such-agent-xyz' } }, phases: {} }) });
    dirs.push(d);
    const r = runrIn(d, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    expect(r.status).toBe(2);
    // Under --json the error is also one object on stdout (issue 15, item 7).
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'worker_not_found' } });
    expect(r.stderr).toMatch(/no-such-agent-xyz not found \(worker w: not on PATH; run `runr doctor`\)/);
    expect(fs.existsSync(path.join(d, '.runr', 'runs'))).toBe(false);

    const e = makeTaskRepo({ config: baseConfig({ workers: { w: { adapter: 'command', command: 'sh', args: ['-c', 'echo rate limited >&2; exit 1'] } }, phases: {} }) });
    dirs.push(e);
    expect(runrIn(e, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']).status).toBe(3);
    expect(json<Json>(runrIn(e, ['status', 'latest']))).toMatchObject({ stop_reason: 'worker_failed', next_action: 'fix_config', resumable: true });
  });
});
