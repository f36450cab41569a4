/** Bad tracks files: exit 2, one line naming the file and the field, nothing started or written. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeOrchRepo, removeRepo, runrIn, writeFile } from './helpers.js';

let dir = '';
beforeAll(() => {
  dir = makeOrchRepo({ tracks: { a: { a1: { write: { 'src/a.txt': 'a\n' } } }, b: { b1: { write: { 'src/b.txt': 'b\n' } } } } });
  writeFile(dir, '.runr/tasks/untitled.md', 'no heading here\n\njust text\n');
  writeFile(dir, '.runr/tasks/dir.md/keep', '');
  fs.symlinkSync('/etc/hostname', path.join(dir, '.runr', 'tasks', 'escape.md'));
  fs.symlinkSync('missing-target.md', path.join(dir, '.runr', 'tasks', 'dangling.md'));
  fs.writeFileSync(path.join(dir, '.runr', 'tasks', 'latin1.md'), Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]));
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'fixtures']);
});
afterAll(() => removeRepo(dir));

const ok = (body: string) => `tracks:\n${body}`;
const CASES: Array<[string, string, RegExp]> = [
  ['empty file', '', /tracks\.yaml: \(root\): the file is empty/],
  ['not YAML', 'tracks: [ {id: a, tasks: [\n', /tracks\.yaml: \(root\): not valid YAML/],
  ['a list at the root', '- id: a\n', /tracks\.yaml: \(root\): expected an object/],
  ['no tracks key', 'track: []\n', /tracks\.yaml: (\(root\)|tracks|track)/],
  ['unknown top-level key', 'tracks:\n  - id: a\n    tasks:\n      - path: tasks/a1.md\nparallel: 3\n', /tracks\.yaml: .*parallel/],
  ['tracks not a list', 'tracks: {a: 1}\n', /tracks\.yaml: tracks: expected an array/],
  ['no tracks', 'tracks: []\n', /tracks\.yaml: tracks: at least one track/],
  ['track not an object', ok('  - a\n'), /tracks\.yaml: tracks\[0\]: expected an object/],
  ['track without id', ok('  - tasks:\n      - path: tasks/a1.md\n'), /tracks\.yaml: tracks\[0\]\.id: expected a string/],
  ['id not a string', ok('  - id: [x]\n    tasks:\n      - path: tasks/a1.md\n'), /tracks\.yaml: tracks\[0\]\.id: expected a string/],
  ['id with a slash', ok('  - id: a/b\n    tasks:\n      - path: tasks/a1.md\n'), /tracks\.yaml: tracks\[0\]\.id: expected letters/],
  ['id starting with a dash', ok('  - id: -a\n    tasks:\n      - path: tasks/a1.md\n'), /tracks\.yaml: tracks\[0\]\.id: expected letters/],
  ['unknown track key (the peer spelling)', ok('  - id: a\n    steps:\n      - task: tasks/a1.md\n'), /tracks\.yaml: tracks\[0\].*(steps|tasks)/],
  ['duplicate ids', ok('  - id: a\n    tasks:\n      - path: tasks/a1.md\n  - id: a\n    tasks:\n      - path: tasks/b1.md\n'), /tracks\.yaml: tracks\[1\]\.id: duplicate track id "a" \(also tracks\[0\]\.id\)/],
  ['duplicate ids differing in case', ok('  - id: Auth\n    tasks:\n      - path: tasks/a1.md\n  - id: auth\n    tasks:\n      - path: tasks/b1.md\n'), /tracks\[1\]\.id: duplicate track id/],
  ['no tasks', ok('  - id: a\n    tasks: []\n'), /tracks\.yaml: tracks\[0\]\.tasks: a track needs at least one task/],
  ['tasks not a list', ok('  - id: a\n    tasks: tasks/a1.md\n'), /tracks\.yaml: tracks\[0\]\.tasks: expected an array/],
  ['task without path', ok('  - id: a\n    tasks:\n      - file: tasks/a1.md\n'), /tracks\.yaml: tracks\[0\]\.tasks\[0\]/],
  ['unknown task key', ok('  - id: a\n    tasks:\n      - path: tasks/a1.md\n        fast: true\n'), /tracks\.yaml: tracks\[0\]\.tasks\[0\].*fast/],
  ['path not a string', ok('  - id: a\n    tasks:\n      - path: 3\n'), /tracks\.yaml: tracks\[0\]\.tasks\[0\]\.path: expected a string/],
  ['empty path', ok('  - id: a\n    tasks:\n      - path: ""\n'), /tracks\[0\]\.tasks\[0\]\.path: expected a task file path/],
  ['missing task file', ok('  - id: a\n    tasks:\n      - path: tasks/nope.md\n'), /tracks\.yaml: tracks\[0\]\.tasks\[0\]\.path: tasks\/nope\.md: file not found/],
  ['second task missing', ok('  - id: a\n    tasks:\n      - path: tasks/a1.md\n      - path: tasks/gone.md\n'), /tracks\[0\]\.tasks\[1\]\.path: tasks\/gone\.md: file not found/],
  ['path escaping with ..', ok('  - id: a\n    tasks:\n      - path: ../outside.md\n'), /tracks\[0\]\.tasks\[0\]\.path: "\.\.\/outside\.md" leaves the repository/],
  ['absolute path', ok('  - id: a\n    tasks:\n      - path: /etc/hostname\n'), /tracks\[0\]\.tasks\[0\]\.path: "\/etc\/hostname" is absolute/],
  ['symlink out of the repository', ok('  - id: a\n    tasks:\n      - path: tasks/escape.md\n'), /tracks\[0\]\.tasks\[0\]\.path: tasks\/escape\.md resolves outside the repository/],
  ['dangling symlink', ok('  - id: a\n    tasks:\n      - path: tasks/dangling.md\n'), /tracks\[0\]\.tasks\[0\]\.path: tasks\/dangling\.md: a symlink that points nowhere/],
  ['a directory', ok('  - id: a\n    tasks:\n      - path: tasks/dir.md\n'), /tracks\[0\]\.tasks\[0\]\.path: tasks\/dir\.md is a directory/],
  ['not a task file', ok('  - id: a\n    tasks:\n      - path: tasks/untitled.md\n'), /tracks\[0\]\.tasks\[0\]\.path: tasks\/untitled\.md: not a task file/],
  ['task file not UTF-8', ok('  - id: a\n    tasks:\n      - path: tasks/latin1.md\n'), /tracks\[0\]\.tasks\[0\]\.path: tasks\/latin1\.md: not valid UTF-8/],
  ['the same task twice', ok('  - id: a\n    tasks:\n      - path: tasks/a1.md\n  - id: b\n    tasks:\n      - path: .runr/tasks/a1.md\n'), /tracks\[1\]\.tasks\[0\]\.path: \.runr\/tasks\/a1\.md is listed twice \(also tracks\[0\]\.tasks\[0\]\.path\)/],
  ['a duplicate YAML key', 'tracks:\n  - id: a\n    id: b\n    tasks:\n      - path: tasks/a1.md\n', /tracks\.yaml: \(root\): not valid YAML/],
  ['inside .git', ok('  - id: a\n    tasks:\n      - path: .git/HEAD\n'), /tracks\[0\]\.tasks\[0\]\.path: (\.git\/HEAD is inside \.git|.*not a task file)/],
];

function runsDirEntries(): string[] {
  const d = path.join(dir, '.runr', 'runs');
  return fs.existsSync(d) ? fs.readdirSync(d).sort() : [];
}

describe('orchestrate run: the whole tracks file is validated first', () => {
  it(`has at least 20 kinds of bad files (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)('%s → exit 2, file and field, nothing started', (_name, body, message) => {
    writeFile(dir, 'tracks.yaml', body);
    const branches = git(dir, ['branch', '--list']);
    const before = runsDirEntries();
    const r = runrIn(dir, ['orchestrate', 'run', '--config', 'tracks.yaml', '--worktree', '--json']);
    expect(r.status, r.stderr).toBe(2);
    // Under --json the error is also one object on stdout, with the stderr line's message (issue 15, item 7).
    expect(`error: ${(JSON.parse(r.stdout) as { error: { message: string } }).error.message}\n`).toBe(r.stderr);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(runsDirEntries()).toEqual(before);
    expect(git(dir, ['branch', '--list'])).toBe(branches);
  });

  it('a missing tracks file and bad flags are exit 2 too', () => {
    expect(runrIn(dir, ['orchestrate', 'run', '--config', 'nope.yaml']).status).toBe(2);
    writeFile(dir, 'tracks.yaml', ok('  - id: a\n    tasks:\n      - path: tasks/a1.md\n'));
    for (const args of [['--max-parallel', '0'], ['--max-parallel', 'x'], ['--collision-policy', 'maybe'], ['--integrate', 'bad..name']]) {
      const r = runrIn(dir, ['orchestrate', 'run', '--config', 'tracks.yaml', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
    }
    const cur = git(dir, ['branch', '--show-current']).trim();
    const r = runrIn(dir, ['orchestrate', 'run', '--config', 'tracks.yaml', '--integrate', cur]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('never moves it');
    expect(runsDirEntries().filter((n) => n.startsWith('run_'))).toEqual([]);
  });

  it('status/wait/resume of something that is not an orchestration: exit 2', () => {
    for (const cmd of ['status', 'wait', 'resume', 'report', 'follow']) {
      const r = runrIn(dir, ['orchestrate', cmd, '../../etc']);
      expect(r.status, cmd).toBe(2);
    }
  });
});
