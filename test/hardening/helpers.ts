/** Shared by the hardening suite: async CLI spawns, a repository with the hostile worker, record greps. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';
import { baseConfig, makeTaskRepo, sh } from '../tasks/helpers.js';

export { runrAsync } from '../robustness/spawn.js';
export { removeRepo, writeFile } from '../helpers/cli.js';

export const HOSTILE = path.join(repoRoot, 'test', 'fixtures', 'hardening', 'hostile-worker.mjs');

export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

export interface HostileRepo {
  dir: string;
  ctl: string;
  marker: string;
  mainBranch: string;
  setAction(action: string): void;
}

/** A task repository whose every phase is the hostile worker; `ctl` holds the action, payload and marker. */
export function makeHostileRepo(extraConfig: Record<string, unknown> = {}): HostileRepo {
  const ctl = tempDir('runr-hostile-ctl-');
  const marker = path.join(ctl, 'marker');
  fs.writeFileSync(path.join(ctl, 'payload.sh'), `#!/bin/sh\necho "ran: $0 $*" >> '${marker}'\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(ctl, 'action'), 'none\n');
  const worker = { adapter: 'command', command: process.execPath, args: [HOSTILE], output: 'text', env: { HOSTILE_CTL: ctl } };
  const config = baseConfig({
    workers: { hostile: worker },
    phases: { plan: 'hostile', implement: 'hostile', review: 'hostile' },
    scope: { allowlist: ['src/**'] },
    verification: { tier0: ['test ! -f src/payload.sh || sh src/payload.sh'] },
    ...extraConfig,
  });
  const dir = makeTaskRepo({ config, files: { 'src/index.ts': 'export {};\n' } });
  sh(dir, ['tag', 'v1']);
  const mainBranch = git(dir, ['symbolic-ref', '--short', 'HEAD']);
  // The worker reads the name of the main branch from its env: add it to the config and commit.
  const cfgFile = path.join(dir, '.runr', 'runr.config.json');
  const cfg = JSON.parse(fs.readFileSync(cfgFile, 'utf8')) as { workers: { hostile: { env: Record<string, string> } } };
  cfg.workers.hostile.env.HOSTILE_MAIN = mainBranch;
  fs.writeFileSync(cfgFile, `${JSON.stringify(cfg, null, 2)}\n`);
  sh(dir, ['commit', '-q', '-am', 'worker env']);
  return { dir, ctl, marker, mainBranch, setAction: (a) => fs.writeFileSync(path.join(ctl, 'action'), `${a}\n`) };
}

export function removeHostile(h: HostileRepo): void {
  fs.rmSync(h.dir, { recursive: true, force: true });
  fs.rmSync(h.ctl, { recursive: true, force: true });
}

/** Every file under `dir` (recursively), absent dirs give []. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const n of names) {
      const abs = path.join(d, n.name);
      if (n.isDirectory()) walk(abs);
      else if (n.isFile()) out.push(abs);
    }
  };
  walk(dir);
  return out;
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const work = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, work));
  return out;
}
