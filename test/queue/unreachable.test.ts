/**
 * `--queue <url>` naming a server that is not there: every queue command ends with one line naming
 * the URL without its password, exit 1 and `queue_unavailable` under --json, at once (no stack, no
 * minutes of retries), and `submit` writes no run. Needs no server: the port is closed on purpose.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTaskRepo, removeRepo, runrIn } from '../tasks/helpers.js';
import { closedPort } from './closed-port.js';


const dir = makeTaskRepo({});
afterAll(() => removeRepo(dir));
const runsDir = path.join(dir, '.runr', 'runs');
const runsBefore = (): string[] => (fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : []);

describe.each(['postgres', 'redis'] as const)('a %s server that is not there', (backend) => {
  const commands: Array<[string, string[]]> = [
    ['submit', ['submit', '--task', '.runr/tasks/task.md']],
    ['queue status', ['queue', 'status']],
    ['worker', ['worker', '--concurrency', '1', '--repo', dir]],
  ];
  it.each(commands)('%s: one line, exit 1, queue_unavailable, no password, nothing written', async (_name, args) => {
    const port = await closedPort();
    const url = backend === 'postgres' ? `postgres://runr:s3cret-pw@127.0.0.1:${port}/runr` : `redis://:s3cret-pw@127.0.0.1:${port}`;
    const before = runsBefore();
    const human = runrIn(dir, [...args, '--queue', url]);
    expect(human.status, human.stderr).toBe(1);
    expect(human.stderr).toMatch(new RegExp(`^error: --queue ${backend}://[^ ]*\\*\\*\\*@127\\.0\\.0\\.1:${port}[^ ]*: cannot reach the (PostgreSQL|Redis) server: .*ECONNREFUSED`));
    expect(human.stderr.trim().split('\n')).toHaveLength(1);
    const j = runrIn(dir, [...args, '--queue', url, '--json']);
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'queue_unavailable' } });
    for (const out of [human.stdout, human.stderr, j.stdout, j.stderr]) {
      expect(out).not.toContain('s3cret-pw');
      expect(out).not.toContain(Buffer.from('s3cret-pw').toString('base64'));
    }
    expect(runsBefore()).toEqual(before);
  });
});
