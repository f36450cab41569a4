/**
 * `--integrate <branch>`: a branch that does not exist is made at HEAD (one `git update-ref` that
 * only creates); one that exists is kept as it is and landed on — never reset to HEAD. The user's
 * checked-out branch never moves.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { filesOn, git, killOrchestrator, makeOrchRepo, orchestrate, removeRepo, writeFile } from './helpers.js';

const dirs: string[] = [];
const ids: Array<[string, string]> = [];
afterAll(() => {
  for (const [d, id] of ids) killOrchestrator(d, id);
  for (const d of dirs) removeRepo(d);
});

const oneTask = () => makeOrchRepo({ tracks: { a: { a1: { write: { 'src/a1.txt': 'a1\n' } } } } });

describe('orchestrate run --integrate', () => {
  it('makes a missing branch at HEAD and lands on it', () => {
    const dir = oneTask();
    dirs.push(dir);
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    const mine = git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']).trim();
    const r = orchestrate(dir, ['--integrate', 'team/integration'], 180);
    ids.push([dir, r.id]);
    expect(r.wait.status, JSON.stringify(r.status)).toBe(0);
    expect(r.status.integration_branch).toBe('team/integration');
    expect(filesOn(dir, 'team/integration')).toContain('src/a1.txt');
    // Made from HEAD: the landing descends from it, and the user's branch did not move.
    expect(git(dir, ['merge-base', '--is-ancestor', head, 'team/integration']).trim()).toBe('');
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']).trim()).toBe(mine);
  });

  it('keeps a branch that exists (at another commit) and lands on top of it', () => {
    const dir = oneTask();
    dirs.push(dir);
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    const mine = git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']).trim();
    // An existing integration branch one commit ahead of HEAD, with a file HEAD does not have.
    git(dir, ['switch', '-q', '-c', 'team/integration']);
    writeFile(dir, 'docs/integrated.md', 'from the integration branch\n');
    git(dir, ['add', 'docs/integrated.md']);
    git(dir, ['commit', '-q', '-m', 'already integrated']);
    const ahead = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['switch', '-q', mine]);
    const r = orchestrate(dir, ['--integrate', 'team/integration'], 180);
    ids.push([dir, r.id]);
    expect(r.wait.status, JSON.stringify(r.status)).toBe(0);
    const tip = git(dir, ['rev-parse', 'team/integration']).trim();
    expect(tip).not.toBe(ahead);
    expect(git(dir, ['merge-base', '--is-ancestor', ahead, tip]).trim()).toBe('');
    expect(filesOn(dir, 'team/integration')).toEqual(expect.arrayContaining(['src/a1.txt', 'docs/integrated.md']));
    expect(git(dir, ['rev-parse', mine]).trim()).toBe(head);
  });
});
