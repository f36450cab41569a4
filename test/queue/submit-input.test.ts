/**
 * `runr submit` checks its arguments before it contacts the queue server: with a URL where
 * nothing listens, bad input exits 2 with the invalid-input error (`invalid_input`,
 * `file_not_found`, `workflow_not_found`, `invalid_file`), never 1 with `queue_unavailable`, and
 * writes nothing. Needs no server: the port is closed on purpose. A good submit to the same URL
 * exits 1 (`queue_unavailable`), which shows that the server was not asked before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRepo, runrIn, sh } from '../tasks/helpers.js';
import { makeStudy, newBatch, st, STUDY } from '../studies/helpers.js';
import { closedPort } from './closed-port.js';


let dir = '';
let batch = '';
let url = '';
beforeAll(async () => {
  dir = makeStudy();
  fs.mkdirSync(path.join(dir, '.runr/tasks'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.runr/tasks/task.md'), '# Task\n\nDo it.\n');
  fs.writeFileSync(path.join(dir, '.runr/tasks/latin1.md'), Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
  batch = newBatch(dir, []);
  sh(dir, ['add', '-A']);
  sh(dir, ['commit', '-q', '-m', 'study']);
  url = `postgres://runr@127.0.0.1:${await closedPort()}/runr`;
}, 120_000);
afterAll(() => removeRepo(dir));

const entries = (): string[] => {
  const runs = path.join(dir, '.runr', 'runs');
  return fs.existsSync(runs) ? fs.readdirSync(runs) : [];
};

describe('submit checks its input before the queue server', () => {
  const cases: Array<[string, () => string[], string]> = [
    ['a missing --task file', () => ['--task', '.runr/tasks/nope.md'], 'file_not_found'],
    ['a --task that is a directory', () => ['--task', '.runr/tasks'], 'invalid_input'],
    ['a --task that is not UTF-8', () => ['--task', '.runr/tasks/latin1.md'], 'invalid_input'],
    ['an unknown workflow', () => ['--workflow', 'nope', '--slug', 's1', '--artifact-path', 'out/s1'], 'workflow_not_found'],
    ['--workflow without --slug', () => ['--workflow', 'nope'], 'invalid_input'],
    ['--priority 0', () => ['--task', '.runr/tasks/task.md', '--priority', '0'], 'invalid_input'],
    ['--priority abc', () => ['--task', '.runr/tasks/task.md', '--priority', 'abc'], 'invalid_input'],
    ['--priority 1.5', () => ['--task', '.runr/tasks/task.md', '--priority', '1.5'], 'invalid_input'],
    ['a bad --id', () => ['--task', '.runr/tasks/task.md', '--id', '../x'], 'invalid_input'],
    ['--task and --batch together', () => ['--task', '.runr/tasks/task.md', '--batch', STUDY, batch], 'invalid_input'],
    ['--batch with one value', () => ['--batch', STUDY], 'invalid_input'],
    ['--batch of an unknown study', () => ['--batch', 'no-such-study', batch], 'invalid_input'],
    ['--batch of an unknown batch', () => ['--batch', STUDY, 'b20260101-0000-nope-v01'], 'invalid_input'],
    ['--batch with a malformed batch id', () => ['--batch', STUDY, 'not-a-batch'], 'invalid_input'],
  ];
  it.each(cases)('%s: exit 2, nothing written, server not contacted', (_name, args, code) => {
    const before = entries();
    const human = runrIn(dir, ['submit', ...args(), '--queue', url]);
    expect(human.status, human.stderr).toBe(2);
    expect(human.stderr).toMatch(/^error: /);
    expect(human.stderr).not.toMatch(/cannot reach|ECONNREFUSED/);
    const j = runrIn(dir, ['submit', ...args(), '--queue', url, '--json']);
    expect(j.status).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code } });
    expect(entries()).toEqual(before);
  });

  it('a batch whose manifest is not committed: exit 2 naming it', () => {
    const b2 = newBatch(dir, ['--seeds', '7'], 'uncommitted');
    const r = runrIn(dir, ['submit', '--batch', STUDY, b2, '--queue', url, '--json']);
    expect(r.status, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'invalid_input' } });
    expect(r.stderr).toContain(`batches/${b2}/manifest.yaml`);
    expect(r.stderr).toContain('not committed');
  });

  it('a batch whose pipeline has uncommitted changes: exit 2 naming it', () => {
    const pipe = path.join(dir, 'runs', STUDY, 'pipeline.yaml');
    const text = fs.readFileSync(pipe, 'utf8');
    fs.writeFileSync(pipe, text.replace('agents: 60', 'agents: 61'));
    try {
      const r = runrIn(dir, ['submit', '--batch', STUDY, batch, '--queue', url]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('pipeline.yaml');
      expect(r.stderr).toContain('uncommitted changes');
    } finally {
      fs.writeFileSync(pipe, text);
    }
  });

  it('a malformed pipeline: exit 2 (invalid_file), as batch run says', () => {
    const pipe = path.join(dir, 'runs', STUDY, 'pipeline.yaml');
    const text = fs.readFileSync(pipe, 'utf8');
    fs.writeFileSync(pipe, 'stages: [1, 2\n');
    try {
      const r = runrIn(dir, ['submit', '--batch', STUDY, batch, '--queue', url, '--json']);
      expect(r.status, r.stderr).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'invalid_file' } });
      expect(st(['batch', 'run', STUDY, batch, '--dry-run'], dir).status).toBe(2);
    } finally {
      fs.writeFileSync(pipe, text);
    }
  });

  it.each([
    ['a task', () => ['--task', '.runr/tasks/task.md']],
    ['a batch', () => ['--batch', STUDY, batch]],
  ])('good input (%s) reaches the server: exit 1, queue_unavailable', (_n, args) => {
    // HEAD must be on a remote branch for a submit to get this far.
    const remote = fs.mkdtempSync(path.join(path.dirname(dir), 'runr-remote-'));
    try {
      sh(remote, ['init', '-q', '--bare']);
      sh(dir, ['remote', 'add', 'origin', remote]);
      sh(dir, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
      sh(dir, ['fetch', '-q', 'origin']);
      const r = runrIn(dir, ['submit', ...args(), '--queue', url, '--json']);
      expect(r.status, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'queue_unavailable' } });
    } finally {
      sh(dir, ['remote', 'remove', 'origin']);
      fs.rmSync(remote, { recursive: true, force: true });
    }
  });
});
