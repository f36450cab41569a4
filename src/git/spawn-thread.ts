/**
 * git processes started from a worker thread, for a long-lived process that drives many things at
 * once (the orchestrator: every track's task run, hooks and merge queue share one event loop).
 *
 * Why: `child_process.spawn` is synchronous up to the child's `exec` — libuv forks (copying the
 * page tables of a process of a few hundred MB) and then waits on a pipe until the child has
 * exec'd. On a loaded 2-core machine the child may wait for a core, so each spawn blocked the
 * event loop for ~10–20 ms; with ~40 git processes per task run, a profile of one benchmark
 * orchestration spent a third of its wall time inside `ChildProcess.spawn`, with every other
 * track stalled meanwhile. From a worker thread the wait blocks only that thread.
 *
 * The thread runs the same argv, cwd and environment that `gitInvocation` built (exec.ts calls
 * this with its result), so nothing about a git call changes but the thread it is started from.
 * The thread is `unref`ed (it never keeps the process alive); if it dies, calls in flight fail
 * with the reason and later calls start git directly again.
 */
import { Worker } from 'node:worker_threads';
import { StateError } from '../core/errors.js';
import { setGitSpawner } from './exec.js';

export interface SpawnedGit {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Start every `git()` of this process from a git thread until the returned function is called
 * (it restores direct spawning and ends the thread). Not nested: the orchestrator calls it once
 * per session.
 */
export function useGitThread(): { thread: GitThread; stop: () => Promise<void> } {
  const thread = new GitThread(() => setGitSpawner(null));
  setGitSpawner((argv, cwd, env, input) => thread.run(argv, cwd, env, input));
  return {
    thread,
    stop: async () => {
      setGitSpawner(null);
      await thread.close();
    },
  };
}

interface Request {
  id: number;
  argv: string[];
  cwd: string;
  /** An environment sent once and then named by its number (nearly every call has the same one). */
  envId: number;
  env?: NodeJS.ProcessEnv;
  input: string | Uint8Array;
}

type Reply = { id: number; code: number; stdout: Uint8Array; stderr: string } | { id: number; error: string };

// CommonJS source evaluated in the thread (`eval: true`): no file to ship next to the bundle.
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const envs = new Map();
parentPort.on('message', (m) => {
  if (m.env !== undefined) envs.set(m.envId, m.env);
  let child;
  try {
    child = spawn('git', m.argv, { cwd: m.cwd, env: envs.get(m.envId), stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
    return;
  }
  const out = [];
  const err = [];
  let failed = null;
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => err.push(c));
  child.stdin.on('error', () => undefined);
  child.on('error', (e) => { failed = String(e && e.message || e); });
  child.on('close', (code) => {
    if (failed !== null) { parentPort.postMessage({ id: m.id, error: failed }); return; }
    const stdout = Buffer.concat(out);
    parentPort.postMessage({ id: m.id, code: code === null ? 128 : code, stdout, stderr: Buffer.concat(err).toString('utf8') });
  });
  child.stdin.end(typeof m.input === 'string' ? m.input : Buffer.from(m.input));
});
`;

export class GitThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: SpawnedGit) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private readonly envIds = new Map<string, number>();
  private dead: string | null = null;
  /** How many git processes this thread started (for tests and the benchmark). */
  started = 0;

  constructor(onDead: () => void = () => undefined) {
    this.worker = new Worker(THREAD_SOURCE, { eval: true, stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      this.settleIdle();
      if ('error' in m) p.reject(new StateError(`could not run git: ${m.error}`));
      else p.resolve({ code: m.code, stdout: Buffer.from(m.stdout.buffer, m.stdout.byteOffset, m.stdout.byteLength), stderr: m.stderr });
    });
    const fail = (why: string): void => {
      if (this.dead === null) onDead();
      this.dead ??= why;
      for (const p of this.pending.values()) p.reject(new StateError(`could not run git: ${why}`));
      this.pending.clear();
    };
    this.worker.on('error', (e) => fail(`the git thread failed: ${e.message}`));
    this.worker.on('exit', (code) => fail(`the git thread exited (${code})`));
  }

  get alive(): boolean {
    return this.dead === null;
  }

  run(argv: string[], cwd: string, env: NodeJS.ProcessEnv, input: string | Buffer): Promise<SpawnedGit> {
    if (this.dead !== null) return Promise.reject(new StateError(`could not run git: ${this.dead}`));
    const id = ++this.nextId;
    this.started++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // While calls are in flight the thread keeps the process alive (an awaited git must finish).
      this.worker.ref();
      const key = JSON.stringify(env);
      let envId = this.envIds.get(key);
      const req: Request = { id, argv, cwd, envId: envId ?? this.envIds.size + 1, input };
      if (envId === undefined) {
        envId = req.envId;
        if (this.envIds.size < 64) this.envIds.set(key, envId);
        req.env = { ...env };
      }
      this.worker.postMessage(req);
    });
  }

  private settleIdle(): void {
    if (this.pending.size === 0) this.worker.unref();
  }

  async close(): Promise<void> {
    if (this.dead !== null) return;
    this.dead = 'closed';
    // Referenced while it ends: an unreferenced worker's terminate() does not keep the process
    // alive, and the caller's code after `await close()` would never run (Node would exit 0).
    this.worker.ref();
    await this.worker.terminate();
  }
}
