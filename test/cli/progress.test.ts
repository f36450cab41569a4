/**
 * Long work shows progress on a terminal's stderr only (issue 16, terminal conventions): the line
 * renderer with a fake stream, and `gate finish` hashing a 40 MiB artifact with stderr on a real
 * pseudo-terminal (python3's pty) versus a pipe.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashingProgress, progressLine } from '../../src/cli/progress-line.js';
import { BIN, esyRepo, json, put, runr } from './workflow-cli.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('progressLine', () => {
  it('draws nothing when the stream is not a terminal', () => {
    const f = fakeStream(false);
    const line = progressLine(f.stream);
    line.set('x');
    line.done();
    expect(f.written).toEqual([]);
  });

  it('redraws in place at most every 100 ms and erases itself when done', () => {
    const f = fakeStream(true);
    let t = 0;
    const line = progressLine(f.stream, () => t);
    line.set('a');
    t = 50;
    line.set('b');
    t = 150;
    line.set('c');
    line.done();
    expect(f.written).toEqual(['\r\u001b[Ka', '\r\u001b[Kc', '\r\u001b[K']);
  });

  it('shows hashing only for large artifacts', () => {
    const f = fakeStream(true);
    let t = 0;
    const p = hashingProgress(progressLine(f.stream, () => (t += 1000)), 10);
    p('small.txt', 5, 9);
    p('big.bin', 5 * 1024 * 1024, 10 * 1024 * 1024);
    expect(f.written).toEqual(['\r\u001b[Khashing big.bin: 5/10 MiB (50%)']);
  });
});

const PTY_RUN = `
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=slave, env=dict(os.environ, TERM='dumb'))
os.close(slave)
err = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    err += chunk
out = p.stdout.read()
code = p.wait()
sys.stdout.buffer.write(out)
sys.stderr.buffer.write(err)
sys.exit(code)
`;

describe('gate finish hashing a large artifact', () => {
  const repo = esyRepo();
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
  const ART = 'src/app/essays/etymology/big';

  it('shows progress on a terminal stderr and nothing on a pipe; the result is the same', () => {
    const start = json<{ run_id: string }>(runr(repo, ['run', 'start', '--workflow', 'visual-essay', '--slug', 'big', '--artifact-path', ART, '--json']));
    const runId = start.run_id;
    expect(runr(repo, ['gate', 'start', '--run', runId, '--gate', 'G1', '--agent', 'a']).status).toBe(0);
    put(repo, 'orchestration/projects/big/INTAKE-APPROVAL.md', 'approved');
    fs.writeFileSync(path.join(repo, 'orchestration/projects/big/INTAKE-APPROVAL.md'), Buffer.alloc(40 * 1024 * 1024, 0x61));

    const piped = runr(repo, ['gate', 'finish', '--run', runId, '--gate', 'G1']);
    expect(piped.status).toBe(0);
    expect(piped.stderr).not.toContain('hashing');

    const tty = spawnSync('python3', ['-c', PTY_RUN, process.execPath, BIN, 'gate', 'finish', '--run', runId, '--gate', 'G1', '--json'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 24 });
    expect(tty.status).toBe(0);
    expect(tty.stderr).toMatch(/hashing orchestration\/projects\/\{slug\}\/INTAKE-APPROVAL\.md: \d+\/40 MiB/);
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    const r = JSON.parse(tty.stdout) as { status: string; artifacts: Array<{ bytes: number }> };
    expect(r.status).toBe('PASS');
    expect(r.artifacts.some((a) => a.bytes === 40 * 1024 * 1024)).toBe(true);
  });
});

describe('manifest rebuild', () => {
  const repo = esyRepo();
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('counts the runs it reads on a terminal stderr, and says nothing of it on a pipe', () => {
    for (const slug of ['a', 'b', 'c']) {
      expect(runr(repo, ['run', 'start', '--workflow', 'visual-essay', '--slug', slug, '--artifact-path', `src/app/essays/etymology/${slug}`]).status).toBe(0);
    }
    const piped = runr(repo, ['manifest', 'rebuild']);
    expect(piped.status).toBe(0);
    expect(piped.stderr).not.toContain('rebuilding');
    const tty = spawnSync('python3', ['-c', PTY_RUN, process.execPath, BIN, 'manifest', 'rebuild', '--json'], { cwd: repo, encoding: 'utf8' });
    expect(tty.status).toBe(0);
    expect(tty.stderr).toContain('rebuilding the manifest: 0/3 runs read');
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect(JSON.parse(tty.stdout)).toMatchObject({ total_runs: 3 });
  });
});
