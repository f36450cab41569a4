/**
 * Real servers and real workers for the queue tests: PostgreSQL/Redis from scripts/services.sh,
 * a bare repository as the shared remote, `runr worker` processes spawned from the built CLI.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot, runrBin } from '../helpers/cli.js';
import { parseQueueUrl } from '../../src/core/queue/url.js';
import type { FencedWrite, Registry, RegistryRow } from '../../src/queue/registry.js';
import { openPgRegistry } from '../../src/queue/registry-pg.js';
import { openRedisRegistry } from '../../src/queue/registry-redis.js';
import { makeTaskRepo, sh } from '../tasks/helpers.js';
import type { TaskRepoOptions } from '../tasks/helpers.js';

export { sh, checkpointCommits, runrIn } from '../tasks/helpers.js';
import { json as jsonOf } from '../tasks/helpers.js';
import type { Json } from '../tasks/helpers.js';
import type { RunrResult } from '../helpers/cli.js';
export const json = (r: RunrResult): Json => jsonOf<Json>(r);

export interface Services {
  dir: string;
  DATABASE_URL?: string;
  REDIS_URL?: string;
  down(): void;
  restartPg(): void;
  /** kill -9 Redis and start it again on the same port and data (AOF: acknowledged writes survive). */
  restartRedis(): void;
}

/** Start throwaway servers (installs them from Debian first if missing and we are root). */
export function startServices(what: 'pg' | 'redis' | 'all', extra: string[] = []): Services {
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/services.sh'), 'up', what, ...extra], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`services.sh up ${what} failed: ${r.stderr}`);
  const vars = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const dir = vars.SVC_DIR!;
  return {
    dir,
    ...(vars.DATABASE_URL ? { DATABASE_URL: vars.DATABASE_URL } : {}),
    ...(vars.REDIS_URL ? { REDIS_URL: vars.REDIS_URL } : {}),
    down: () => {
      spawnSync('bash', [path.join(repoRoot, 'scripts/services.sh'), 'down', dir], { encoding: 'utf8' });
    },
    restartPg: () => {
      const x = spawnSync('bash', [path.join(repoRoot, 'scripts/services.sh'), 'restart-pg', dir], { encoding: 'utf8' });
      if (x.status !== 0) throw new Error(`restart-pg: ${x.stderr}`);
    },
    restartRedis: () => {
      const x = spawnSync('bash', [path.join(repoRoot, 'scripts/services.sh'), 'restart-redis', dir], { encoding: 'utf8' });
      if (x.status !== 0) throw new Error(`restart-redis: ${x.stderr}`);
    },
  };
}

/** Can this machine start the servers (installed, or root to install them)? */
export function servicesAvailable(): { ok: true } | { ok: false; reason: string } {
  const hasPg = spawnSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin']).status === 0;
  const hasRedis = spawnSync('bash', ['-c', 'command -v redis-server']).status === 0;
  if (hasPg && hasRedis) return { ok: true };
  if (process.getuid?.() === 0) return { ok: true };
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') throw new Error('PostgreSQL/Redis are missing in CI (.ci/run installs them: scripts/services.sh install)');
  return { ok: false, reason: 'PostgreSQL/Redis are not installed and installing them needs root (scripts/services.sh install)' };
}

/** A slow two-milestone script: each IMPLEMENT sleeps `ms`. */
export function slowScript(ms: number): object {
  return {
    plan: { milestones: [{ goal: 'Add greet', files_expected: ['src/greet.ts'] }, { goal: 'Add farewell', files_expected: ['src/farewell.ts'] }] },
    milestones: {
      m1: { implement: [{ sleep_ms: ms, write: { 'src/greet.ts': 'export const greet = (n: string) => `hi ${n}`;\n' } }] },
      m2: { implement: [{ sleep_ms: ms, write: { 'src/farewell.ts': 'export const farewell = (n: string) => `bye ${n}`;\n' } }] },
    },
  };
}

export interface QueueRepo {
  /** The submitter's checkout. */
  dir: string;
  /** The shared remote (bare). */
  remote: string;
  /** Where workers keep their clones. */
  workDir: string;
  cleanup(): void;
}

/** Give the repository at `dir` an `origin` (a new bare repository, HEAD pushed as main) and a workers' directory. */
export function withRemote(dir: string): { remote: string; workDir: string } {
  const remote = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-remote-')));
  sh(remote, ['init', '-q', '--bare']);
  sh(dir, ['remote', 'add', 'origin', remote]);
  sh(dir, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
  sh(dir, ['fetch', '-q', 'origin']);
  return { remote, workDir: fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-workers-'))) };
}

/** A task repository whose `origin` is a bare repository, main pushed. */
export function makeQueueRepo(opts: TaskRepoOptions = {}): QueueRepo {
  const dir = makeTaskRepo(opts);
  const { remote, workDir } = withRemote(dir);
  return {
    dir,
    remote,
    workDir,
    cleanup: () => {
      fs.rmSync(workDir, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(remote, { recursive: true, force: true });
    },
  };
}

export interface WorkerProc {
  child: ChildProcess;
  name: string;
  lines: string[];
  /** SIGTERM (or `sig`) and wait for exit. */
  stop(sig?: NodeJS.Signals): Promise<void>;
}

/** `runr worker` cloning `repo` (the shared remote), its clones under `workDir/<name>`. */
export function startWorker(o: { workDir: string; repo: string; queue: string; name: string; args?: string[]; wrap?: string[] }): WorkerProc {
  const { name } = o;
  const cwd = o.workDir;
  const argv = [process.execPath, runrBin, 'worker', '--queue', o.queue, '--name', name, '--repo', o.repo, '--dir', path.join(o.workDir, name), '--json', ...(o.args ?? [])];
  const [cmd, ...rest] = [...(o.wrap ?? []), ...argv];
  const child = spawn(cmd!, rest, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const lines: string[] = [];
  let buf = '';
  child.stdout!.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts.filter((p) => p !== ''));
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    child,
    name,
    lines,
    stop: async (sig: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid!, 'SIGCONT');
        } catch {
          /* gone */
        }
        child.kill(sig);
        const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(t);
      }
      if (process.env.RUNR_TEST_DEBUG) process.stderr.write(`--- worker ${name} stderr\n${err}\n--- events\n${lines.join('\n')}\n`);
    },
  };
}

export function events(w: WorkerProc): Array<Record<string, unknown>> {
  return w.lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

export async function until<T>(what: string, fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 120_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** psql against the test server (the registry's own tables, for assertions). */
export function psql(url: string, sql: string): string {
  const bin = spawnSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).stdout.trim();
  const r = spawnSync(path.join(bin, 'psql'), [url, '-qAtc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}

export interface RegistryProbe {
  row(id: string): Promise<RegistryRow | null>;
  terminalCounts(): Promise<Map<string, number>>;
  fenced(id?: string): Promise<FencedWrite[]>;
  close(): Promise<void>;
}

/** Read the registry on the real server through runr's own adapter (queue name from `?queue=`, per call). */
export async function probe(base: string): Promise<RegistryProbe> {
  // Only the registry (no BullMQ queue objects): the test reads, the workers and CLI write.
  const opened = new Map<string, { registry: Registry }>();
  const get = async (queue: string): Promise<void> => {
    const target = parseQueueUrl(`${base}?queue=${queue}`);
    const registry = target.backend === 'postgres' ? openPgRegistry(target.url, queue) : openRedisRegistry(target);
    await registry.init();
    opened.set(queue, { registry });
  };
  // Run ids in these tests end with the queue name's first letters: look in every queue used.
  const all = async <T>(fn: (b: { registry: Registry }) => Promise<T[]>): Promise<T[]> => (await Promise.all([...opened.values()].map(fn))).flat();
  for (const q of ['e2e1', 'fence', 'cancel', 'faults', 'resume', 'remote', 'signal', 'signal2', 'batch']) await get(q);
  return {
    row: async (id) => (await all(async (b) => [await b.registry.get(id)])).find((r) => r !== null) ?? null,
    terminalCounts: async () => new Map((await all(async (b) => [...(await b.registry.terminalCounts()).entries()]))),
    fenced: async (id) => all((b) => b.registry.fencedWrites(id)),
    close: async () => {
      for (const b of opened.values()) await b.registry.close();
    },
  };
}

/** The process group of the run process (`queue-exec`) of `runId`, if it is alive. */
export function runGroup(runId: string, attempt?: number): number | null {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' }).stdout;
  const tag = attempt === undefined ? runId : `${runId}.a${attempt}.`;
  for (const line of ps.split('\n')) {
    if (line.includes('queue-exec') && line.includes(tag)) {
      const [pid, pgid] = line.trim().split(/\s+/);
      if (pid === pgid) return Number(pgid);
    }
  }
  return null;
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A two-milestone script: m1 quick, m2 sleeping `m2Ms` (time to kill a worker between them). */
export function twoStepScript(m1Ms: number, m2Ms: number): object {
  return {
    plan: { milestones: [{ goal: 'Add greet', files_expected: ['src/greet.ts'] }, { goal: 'Add farewell', files_expected: ['src/farewell.ts'] }] },
    milestones: {
      m1: { implement: [{ sleep_ms: m1Ms, write: { 'src/greet.ts': 'export const greet = (n: string) => `hi ${n}`;\n' } }] },
      m2: { implement: [{ sleep_ms: m2Ms, write: { 'src/farewell.ts': 'export const farewell = (n: string) => `bye ${n}`;\n' } }] },
    },
  };
}

export interface BgRunr {
  child: ChildProcess;
  /** stdout so far. */
  out(): string;
  done: Promise<{ status: number | null; stdout: string; stderr: string }>;
}

/** `runr <args>` in the background (follow, watch), its output collected until it exits. */
export function runrBg(cwd: string, args: string[]): BgRunr {
  const child = spawn(process.execPath, [runrBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, done, out: () => stdout };
}

export const jsonLines = (out: string): Array<Record<string, unknown>> =>
  out.split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

export interface QueueServers {
  /** The registry on the file's server (open from beforeAll on). */
  readonly reg: RegistryProbe;
  /** Repositories and workers a test makes: removed and stopped in afterAll. */
  readonly repos: QueueRepo[];
  readonly workers: WorkerProc[];
  /** The server's URL (without `?queue=`). */
  readonly base: () => string;
}

/**
 * The per-backend set-up of a queue e2e file: a throwaway server and a registry probe in
 * beforeAll; in afterAll the workers stopped (`stopSignal`), the repositories removed, the probe
 * closed and the server stopped.
 */
export function useQueueServers(backend: 'postgres' | 'redis', stopSignal: NodeJS.Signals = 'SIGKILL'): QueueServers {
  let svc: Services | undefined;
  let reg: RegistryProbe | undefined;
  const repos: QueueRepo[] = [];
  const workers: WorkerProc[] = [];
  const base = (): string => {
    const url = backend === 'postgres' ? svc?.DATABASE_URL : svc?.REDIS_URL;
    if (url === undefined) throw new Error(`the ${backend} server is not started`);
    return url;
  };
  beforeAll(async () => {
    svc = startServices(backend === 'postgres' ? 'pg' : 'redis');
    reg = await probe(base());
  }, 600_000);
  afterAll(async () => {
    for (const w of workers) await w.stop(stopSignal);
    for (const r of repos) r.cleanup();
    await reg?.close();
    svc?.down();
  });
  return {
    get reg(): RegistryProbe {
      if (reg === undefined) throw new Error('the registry probe is not open');
      return reg;
    },
    repos,
    workers,
    base,
  };
}
