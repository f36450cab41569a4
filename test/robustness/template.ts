/**
 * What the two bad-input runners share (bad-input.test.ts, bad-input-corpus.test.ts): the template
 * repository every case copies, and the tree snapshot that proves a case wrote nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fixtureDir, makeRepo, runr } from '../helpers/cli.js';
import { LEGACY_ID } from './bad-input-cases.js';

export interface Template {
  /** The repository to copy. */
  dir: string;
  /** A workflow run whose G1 has started, been invoked, and FAILed (no intake file). */
  good: string;
}

/** A repository with one good workflow run and the legacy fixture record; throws if a step fails. */
export function buildTemplate(): Template {
  const dir = makeRepo();
  const run = (args: string[], want: number) => {
    const r = runr(args, { cwd: dir });
    if (r.status !== want) throw new Error(`template: ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    return r;
  };
  const started = run(['run', 'start', '--workflow', 'visual-essay', '--slug', 'good', '--artifact-path', 'essays/good', '--json'], 0);
  const good = (JSON.parse(started.stdout) as { run_id: string }).run_id;
  run(['gate', 'start', '--run', good, '--gate', 'G1', '--agent', 'a'], 0);
  run(['invocation', 'record', '--run', good, '--gate', 'G1', '--agent', 'a'], 0);
  run(['gate', 'finish', '--run', good, '--gate', 'G1'], 1); // no intake file: FAIL
  fs.cpSync(path.join(fixtureDir, 'runs', LEGACY_ID), path.join(dir, '.runr', 'runs', LEGACY_ID), { recursive: true });
  return { dir, good };
}

/**
 * Every path under `root` (but .git) → 'dir', a link target, or the file by `how`: its sha256, or
 * (cheaper, for a thousand cases) its type, size, mtime, ctime and inode — any write or replacement
 * changes one of them. A directory is known by its entries only: a writer lock taken and released
 * (a validation error found under the lock) leaves the tree as it was.
 */
export function treeSnapshot(root: string, how: 'hash' | 'stat'): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, ent.name);
      const rel = path.relative(root, abs);
      if (rel === '.git') continue;
      if (ent.isDirectory()) {
        out.set(rel, 'dir');
        walk(abs);
      } else if (ent.isSymbolicLink()) out.set(rel, `link:${fs.readlinkSync(abs)}`);
      else if (how === 'hash') out.set(rel, crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex'));
      else {
        const st = fs.lstatSync(abs);
        out.set(rel, `${ent.isFile() ? 'file' : 'special'}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`);
      }
    }
  };
  walk(root);
  return out;
}

/** `+ path`, `- path`, `~ path` for what was added, removed or changed, sorted. */
export function treeDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of b) if (!a.has(k)) out.push(`+ ${k}`);
  else if (a.get(k) !== v) out.push(`~ ${k}`);
  for (const k of a.keys()) if (!b.has(k)) out.push(`- ${k}`);
  return out.sort();
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
