/**
 * Inputs that crashed, hung or escaped (issue 9), through the built CLI: each must be one line on
 * stderr naming the file (and field), exit 2, no stack, and nothing written.
 *  - JSON nested 100,000 deep (the error formatter overflowed the stack, exit 70);
 *  - a NUL escape in a path in runr.config.json (ERR_INVALID_ARG_VALUE, exit 70);
 *  - a FIFO where a contract, task file or journal should be (blocked forever, ignoring SIGTERM);
 *  - a symlink loop or a directory where a task file or the journal should be (ELOOP, EISDIR);
 *  - control characters in a message; YAML warnings on their own stderr lines;
 *  - `-C no-such-dir`; `--runs-dir ../outside`; a symlinked run directory; a `--prompt-file`
 *    symlinked outside the repository.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, runrBin } from '../helpers/cli.js';
import { removeRepo, runrAsync, tempDir, writeFile } from './helpers.js';

let dir = '';
let runId = '';
let runDir = '';
const outside = tempDir('runr-outside-');

/** The CLI with a deadline: SIGTERM at 20 s, SIGKILL at 30 s (a hang shows as a signal, not an exit code). */
function runrDeadline(args: string[], cwd = dir): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runrBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const term = setTimeout(() => child.kill('SIGTERM'), 20_000);
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

function oneLineError(r: { status: number | null; signal: string | null; stdout: string; stderr: string }, pattern: RegExp): void {
  const shown = `exit ${r.status} signal ${r.signal}: ${JSON.stringify(r.stderr)}`;
  expect(r.signal, shown).toBeNull();
  expect(r.status, shown).toBe(2);
  expect(r.stderr, shown).not.toMatch(/^ {4}at /m);
  expect(r.stderr.endsWith('\n') && r.stderr.split('\n').length === 2, `one line: ${shown}`).toBe(true);
  expect(r.stderr, shown).toMatch(pattern);
}

const journal = () => path.join(dir, runDir, 'record', 'events.jsonl');
const contract = () => path.join(dir, 'orchestration/gates/contracts/G1.contract.json');

beforeAll(async () => {
  dir = makeRepo();
  const r = await runrAsync(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--json'], { cwd: dir });
  expect(r.status, r.stderr).toBe(0);
  ({ run_id: runId, run_dir: runDir } = JSON.parse(r.stdout) as { run_id: string; run_dir: string });
});

afterAll(() => {
  removeRepo(dir);
  fs.rmSync(outside, { recursive: true, force: true });
});

/** Replace `file` by `make(file)` for one command, then put the original back. */
async function withReplaced(file: string, make: (f: string) => void, fn: () => Promise<void>): Promise<void> {
  const saved = fs.existsSync(file) ? fs.readFileSync(file) : null;
  fs.rmSync(file, { force: true });
  make(file);
  try {
    await fn();
  } finally {
    fs.rmSync(file, { recursive: true, force: true });
    if (saved !== null) fs.writeFileSync(file, saved);
  }
}

const mkfifo = (f: string) => execFileSync('mkfifo', [f]);
const loop = (f: string) => {
  fs.symlinkSync(`${path.basename(f)}.b`, f);
  fs.symlinkSync(path.basename(f), `${f}.b`);
};

describe.sequential('crashes and hangs become one-line errors', () => {
  it('a contract nested 100,000 deep: exit 2 naming the file, no stack overflow', async () => {
    await withReplaced(contract(), (f) => fs.writeFileSync(f, `${'['.repeat(100_000)}${']'.repeat(100_000)}`), async () => {
      oneLineError(await runrDeadline(['gate', 'start', '--run', runId, '--gate', 'G1', '--agent', 'a']), /^error: orchestration\/gates\/contracts\/G1\.contract\.json: \(root\): nested deeper than 256 levels/);
    });
  });

  it('a FIFO where the contract should be: refused at once (never opened blocking), exit 2', async () => {
    await withReplaced(contract(), mkfifo, async () => {
      oneLineError(await runrDeadline(['gate', 'start', '--run', runId, '--gate', 'G1', '--agent', 'a']), /G1\.contract\.json: \(file\): is a FIFO/);
    });
  });

  it('a FIFO, a symlink loop, a directory where the task file should be', async () => {
    execFileSync('mkfifo', [path.join(dir, 'fifo.md')]);
    loop(path.join(dir, 'loop.md'));
    fs.mkdirSync(path.join(dir, 'dir.md'));
    oneLineError(await runrDeadline(['run', '--task', 'fifo.md']), /^error: fifo\.md: \(file\): is a FIFO/);
    oneLineError(await runrDeadline(['run', '--task', 'loop.md']), /^error: loop\.md: \(file\): is a symlink loop/);
    oneLineError(await runrDeadline(['run', '--task', 'dir.md']), /^error: dir\.md: \(file\): is a directory/);
  });

  for (const [what, make] of [
    ['a FIFO', mkfifo],
    ['a symlink loop', loop],
    ['a directory', (f: string) => fs.mkdirSync(f)],
  ] as const) {
    it(`${what} where the journal should be: writers and readers exit 2, nothing written`, async () => {
      await withReplaced(journal(), make, async () => {
        const snap = fs.readFileSync(path.join(dir, runDir, 'record', 'RUN.json'), 'utf8');
        for (const args of [
          ['invocation', 'record', '--run', runId, '--gate', 'G1', '--agent', 'w'],
          ['run', 'show', '--run', runId],
          ['audit', runId],
        ]) {
          oneLineError(await runrDeadline(args), /events\.jsonl: \(file\): is /);
        }
        expect(fs.readFileSync(path.join(dir, runDir, 'record', 'RUN.json'), 'utf8')).toBe(snap);
      });
    });
  }

  it('a NUL escape in a path in runr.config.json: exit 2 naming the field', async () => {
    const cfg = path.join(dir, '.runr', 'runr.config.json');
    await withReplaced(cfg, (f) => fs.writeFileSync(f, '{"runs_dir": "a\\u0000b"}\n'), async () => {
      oneLineError(await runrDeadline(['run', 'list']), /^error: \.runr\/runr\.config\.json: runs_dir: contains a NUL character \(at offset 1\)/);
      oneLineError(await runrDeadline(['run', 'show', '--run', runId]), /runs_dir: contains a NUL/);
    });
  });

  it('invalid UTF-8 and a NUL byte in a workflow file name the line and the byte offset', async () => {
    const wf = path.join(dir, 'orchestration/runner/workflows/visual-essay.json');
    await withReplaced(wf, (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from('{\n"workflow": "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}\n')])), async () => {
      oneLineError(await runrDeadline(['run', 'start', '--workflow', 'visual-essay', '--slug', 'x', '--artifact-path', 'a']), /visual-essay\.json: line 2: not valid UTF-8 \(byte 0xc0 at offset 15\)/);
    });
    await withReplaced(wf, (f) => fs.writeFileSync(f, '{\n"workflow": "a\0"}\n'), async () => {
      oneLineError(await runrDeadline(['run', 'start', '--workflow', 'visual-essay', '--slug', 'x', '--artifact-path', 'a']), /visual-essay\.json: line 2: contains a NUL byte at offset 16/);
    });
  });

  it('control characters in a message are escaped; YAML warnings are in the one error line', async () => {
    oneLineError(await runrDeadline(['run', 'start', '--workflow', './a\nb\u001b[31m.json', '--slug', 'x', '--artifact-path', 'a']), /file not found: \.\/a\\nb\\x1b\[31m\.json$/m);
    writeFile(dir, 'orchestration/runner/workflows/warned.yaml', '%FOO bar\n---\nworkflow: [\n');
    oneLineError(await runrDeadline(['run', 'start', '--workflow', 'warned', '--slug', 'x', '--artifact-path', 'a']), /warned\.yaml: line \d+: not valid YAML \(.*\); warnings: /);
  });
});

describe.sequential('paths', () => {
  it('-C no-such-dir is exit 2', async () => {
    oneLineError(await runrDeadline(['-C', 'no-such-dir', 'run', 'list']), /^error: -C: no such directory/);
  });

  it('--runs-dir ../outside is refused (exit 2, nothing created); an absolute path outside is allowed on purpose', async () => {
    const before = fs.readdirSync(path.dirname(dir)).length;
    oneLineError(await runrDeadline(['--runs-dir', '../outside-runs', 'run', 'start', '--workflow', 'visual-essay', '--slug', 'x', '--artifact-path', 'a']), /^error: --runs-dir: "\.\.\/outside-runs" leaves the repository/);
    oneLineError(await runrDeadline(['--runs-dir', '../outside-runs', 'manifest', 'show']), /--runs-dir: .* leaves the repository/);
    expect(fs.existsSync(path.join(path.dirname(dir), 'outside-runs'))).toBe(false);
    expect(fs.readdirSync(path.dirname(dir)).length).toBe(before);
    fs.symlinkSync(outside, path.join(dir, 'runs-link'));
    oneLineError(await runrDeadline(['--runs-dir', 'runs-link/runs', 'run', 'list']), /--runs-dir: "runs-link\/runs" leaves the repository/);
    const abs = path.join(outside, 'abs-runs');
    const ok = await runrDeadline(['--runs-dir', abs, 'run', 'start', '--workflow', 'visual-essay', '--slug', 'x', '--artifact-path', 'a']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(fs.readdirSync(abs).some((n) => n.startsWith('run_'))).toBe(true);
  });

  it('a run directory symlinked outside the repository is never written through', async () => {
    const r = await runrAsync(['run', 'start', '--workflow', 'visual-essay', '--slug', 'l', '--artifact-path', 'a', '--json'], { cwd: dir });
    const { run_id: id, run_dir: rd } = JSON.parse(r.stdout) as { run_id: string; run_dir: string };
    const target = path.join(outside, id);
    fs.renameSync(path.join(dir, rd), target);
    fs.symlinkSync(target, path.join(dir, rd));
    const snap = fs.readFileSync(path.join(target, 'record', 'RUN.json'), 'utf8');
    const events = fs.readFileSync(path.join(target, 'record', 'events.jsonl'), 'utf8');
    for (const args of [
      ['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a'],
      ['invocation', 'record', '--run', id, '--gate', 'G1', '--agent', 'a'],
      ['run', 'complete', '--run', id],
    ]) {
      oneLineError(await runrDeadline(args), /\(file\): is a symlink; runr does not write through symlinks/);
    }
    expect(fs.readFileSync(path.join(target, 'record', 'RUN.json'), 'utf8')).toBe(snap);
    expect(fs.readFileSync(path.join(target, 'record', 'events.jsonl'), 'utf8')).toBe(events);
    // A record file that is a symlink: the same.
    fs.rmSync(path.join(dir, rd));
    fs.renameSync(target, path.join(dir, rd));
    const j = path.join(dir, rd, 'record', 'events.jsonl');
    fs.renameSync(j, path.join(outside, 'events.jsonl'));
    fs.symlinkSync(path.join(outside, 'events.jsonl'), j);
    oneLineError(await runrDeadline(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a']), /events\.jsonl: \(file\): is a symlink/);
    expect(fs.readFileSync(path.join(outside, 'events.jsonl'), 'utf8')).toBe(events);
  });

  it('a --prompt-file symlinked outside the repository is refused (exit 2), nothing read into logs/', async () => {
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside secret\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'prompt.md'));
    const runsBefore = fs.readdirSync(path.join(dir, '.runr', 'runs')).length;
    oneLineError(await runrDeadline(['run', 'visual-essay', '--slug', 'p', '--artifact-path', 'a', '--prompt-file', 'prompt.md']), /^error: --prompt-file: prompt\.md: \(file\): is a symlink that resolves outside the repository/);
    expect(fs.readdirSync(path.join(dir, '.runr', 'runs'))).toHaveLength(runsBefore);
  });
});
