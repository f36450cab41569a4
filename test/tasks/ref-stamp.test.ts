/**
 * The ref files' stamp (src/git/ref-stamp.ts), against real git: every way a ref can change moves
 * the stamp (so the repository guard asks git again), an unchanged repository keeps it, and what it
 * cannot judge (a planted FIFO, a linked worktree as the root) is null rather than a wrong answer.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refStamp } from '../../src/git/ref-stamp.js';
import { makeRepo } from '../helpers/cli.js';
import { removeRepo, sh, writeFile } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

function repo(): string {
  const d = makeRepo({ fixtures: false });
  dirs.push(d);
  writeFile(d, 'a.txt', 'a\n');
  sh(d, ['add', '-A']);
  sh(d, ['commit', '-q', '-m', 'one']);
  writeFile(d, 'a.txt', 'b\n');
  sh(d, ['commit', '-q', '-am', 'two']);
  sh(d, ['tag', 'v1', 'HEAD~1']);
  return d;
}

const stamp = (d: string) => refStamp(d, path.join(d, '.git'));
const rev = (d: string, r: string) => sh(d, ['rev-parse', r]).trim();

describe('refStamp', () => {
  it('stays the same while nothing changes, git commands that only read included', () => {
    const d = repo();
    const s = stamp(d);
    expect(s).toMatch(/^[0-9a-f]{64}$/);
    sh(d, ['for-each-ref']);
    sh(d, ['status', '--porcelain']);
    sh(d, ['log', '--oneline']);
    expect(stamp(d)).toBe(s);
  });

  const changes: Array<[string, (d: string) => void]> = [
    ['a branch moved (loose ref)', (d) => sh(d, ['update-ref', 'refs/heads/side', 'HEAD~1'])],
    ['a ref created', (d) => sh(d, ['update-ref', 'refs/heads/new', 'HEAD'])],
    ['a tag deleted', (d) => sh(d, ['tag', '-d', 'v1'])],
    ['a symbolic ref repointed', (d) => sh(d, ['symbolic-ref', 'refs/heads/alias', 'refs/tags/v1'])],
    ['refs packed', (d) => sh(d, ['pack-refs', '--all'])],
    [
      'a packed ref moved',
      (d) => {
        sh(d, ['pack-refs', '--all']);
        const packed = path.join(d, '.git', 'packed-refs');
        const text = fs.readFileSync(packed, 'utf8');
        fs.writeFileSync(packed, text.replace(rev(d, 'v1'), rev(d, 'HEAD')));
      },
    ],
    [
      'a loose ref rewritten in place with its mtime put back',
      (d) => {
        const f = path.join(d, '.git', 'refs', 'tags', 'v1');
        const st = fs.statSync(f);
        fs.writeFileSync(f, `${rev(d, 'HEAD')}\n`);
        fs.utimesSync(f, st.atime, st.mtime);
      },
    ],
    [
      'a ref that is a symlink to a file outside refs/, whose content changes',
      (d) => {
        const outside = path.join(d, '.git', 'elsewhere');
        fs.writeFileSync(outside, `${rev(d, 'HEAD~1')}\n`);
        fs.symlinkSync(outside, path.join(d, '.git', 'refs', 'heads', 'linked'));
      },
    ],
  ];
  for (const [what, change] of changes) {
    it(`moves when ${what}`, () => {
      const d = repo();
      sh(d, ['branch', 'side']);
      sh(d, ['symbolic-ref', 'refs/heads/alias', 'refs/heads/side']);
      const s = stamp(d);
      change(d);
      expect(stamp(d)).not.toBe(s);
    });
  }

  it('moves when the content behind a symlinked ref changes (the link itself unchanged)', () => {
    const d = repo();
    const outside = path.join(d, '.git', 'elsewhere');
    fs.writeFileSync(outside, `${rev(d, 'HEAD~1')}\n`);
    fs.symlinkSync(outside, path.join(d, '.git', 'refs', 'heads', 'linked'));
    const s = stamp(d);
    fs.writeFileSync(outside, `${rev(d, 'HEAD')}\n`);
    expect(stamp(d)).not.toBe(s);
  });

  it('is null (ask git) for a FIFO among the refs, without blocking', () => {
    const d = repo();
    const fifo = path.join(d, '.git', 'refs', 'heads', 'pipe');
    const r = spawnSync('mkfifo', [fifo]);
    if (r.status !== 0) return; // no mkfifo here: nothing to check
    expect(stamp(d)).toBeNull();
  });

  it('is null when the repository root is a linked worktree (its own refs live in its git dir)', () => {
    const d = repo();
    const wt = path.join(d, 'wt');
    sh(d, ['worktree', 'add', '-q', wt, '-b', 'wt']);
    expect(refStamp(wt, path.join(d, '.git'))).toBeNull();
    expect(stamp(d)).not.toBeNull();
  });
});
