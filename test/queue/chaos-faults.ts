/**
 * Repeated faults for the full chaos run (test/queue/chaos.e2e.test.ts, scripts/queue-chaos.sh).
 * While the runs go on, four loops strike again and again until told to stop:
 *   - kill -9 a random worker holding a run (a new worker starts on its host);
 *   - restart the server (PostgreSQL `-m immediate` / Redis kill -9) every 5–10 s;
 *   - take a host's link down for 30 s while one of its workers holds a run;
 *   - SIGSTOP a worker holding a run, with its run's process group, until the run is taken over
 *     (past its lease), then SIGCONT it and wait for its late write to be refused.
 * Each strike is recorded with its recovery time. One victim is under one fault at a time.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';
import type { FencedWrite, Registry, RunState } from '../../src/queue/registry.js';
import type { SimHost } from './netns.js';
import type { WorkerProc } from './helpers.js';
import { runGroup } from './helpers.js';

export type FaultKind = 'kill9' | 'server_restart' | 'link_down' | 'sigstop';

export interface Strike {
  kind: FaultKind;
  /** Seconds since the chaos started. */
  at_s: number;
  target: string;
  /**
   * kill9/link_down/sigstop: until every run the victim held was taken over (or finished);
   * server_restart: from the stop until the next run finished. null: no recovery within the bound.
   */
  recovery_ms: number | null;
  /** sigstop: the victim's held attempts (its late writes on them must be refused). */
  held?: Array<{ id: string; attempt: number }>;
  /** sigstop: from SIGCONT to the first refused write of the victim (null: none within the bound). */
  refused_after_cont_ms?: number | null;
  /** server_restart: how long the restart command took (server away). */
  down_ms?: number;
  /** server_restart: the chaos stopped (every run ended) before a next outcome: not a failure to recover. */
  cut?: boolean;
}

export interface LiveWorker {
  proc: WorkerProc;
  host: number;
}

export interface ChaosEnv {
  reg: Registry;
  hosts: SimHost[];
  /** The workers alive now, by name (kill9 replaces its victim through `spawnWorker`). */
  workers: Map<string, LiveWorker>;
  spawnWorker(host: number): void;
  backend: 'postgres' | 'redis';
  svcDir: string;
  t0: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const between = (lo: number, hi: number): number => lo + Math.random() * (hi - lo);
const TERMINAL = new Set(['succeeded', 'stopped', 'failed', 'canceled']);

/** Run `scripts/services.sh <args>` without blocking the event loop (the other faults go on). */
function services(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn('bash', [path.join(repoRoot, 'scripts/services.sh'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`services.sh ${args.join(' ')}: exit ${code}: ${err}`))));
  });
}

function signal(targets: number[], sig: NodeJS.Signals): void {
  for (const t of targets) {
    try {
      process.kill(t, sig);
    } catch {
      /* gone */
    }
  }
}

export class Chaos {
  readonly strikes: Strike[] = [];
  private stopped = false;
  private readonly busy = new Set<string>();
  private readonly loops: Array<Promise<void>> = [];
  private readonly measures: Array<Promise<void>> = [];

  constructor(private readonly env: ChaosEnv) {}

  private now(): number {
    return (Date.now() - this.env.t0) / 1000;
  }

  private async states(): Promise<RunState[]> {
    return this.env.reg.states().catch(() => []);
  }

  private async heldBy(names: string[]): Promise<Array<{ id: string; attempt: number }>> {
    return (await this.states()).filter((r) => r.status === 'running' && r.worker !== null && names.includes(r.worker)).map((r) => ({ id: r.run_id, attempt: r.attempt }));
  }

  /** Until each held attempt was superseded (a later attempt) or its run ended; null past `boundMs`. */
  private async retaken(held: Array<{ id: string; attempt: number }>, since: number, boundMs = 300_000): Promise<number | null> {
    while (Date.now() - since < boundMs) {
      let all = true;
      for (const x of held) {
        const r = await this.env.reg.get(x.id).catch(() => null);
        if (r === null || (r.attempt <= x.attempt && !TERMINAL.has(r.status))) {
          all = false;
          break;
        }
      }
      if (all) return Date.now() - since;
      await sleep(200);
    }
    return null;
  }

  /** A free worker (not under another fault) that holds a run, chosen at random. */
  private async victim(needGroup: boolean): Promise<{ name: string; held: Array<{ id: string; attempt: number }>; groups: number[] } | null> {
    const rows = (await this.states()).filter((r) => r.status === 'running' && r.worker !== null && this.env.workers.has(r.worker) && !this.busy.has(r.worker) && !this.busy.has(`host${this.env.workers.get(r.worker)!.host}`));
    for (const r of rows.sort(() => Math.random() - 0.5)) {
      const name = r.worker!;
      const held = await this.heldBy([name]);
      // A second read that failed (the server restarting) or found the run ended holds nothing:
      // a strike on it would prove nothing (the full chaos run paused 9 such workers on Redis).
      if (held.length === 0) continue;
      const groups = held.map((h) => runGroup(h.id, h.attempt)).filter((g): g is number => g !== null);
      if (needGroup && groups.length !== held.length) continue;
      return { name, held, groups };
    }
    return null;
  }

  private loop(minMs: number, maxMs: number, strike: () => Promise<void>): void {
    this.loops.push(
      (async () => {
        while (!this.stopped) {
          await sleep(between(minMs, maxMs));
          if (this.stopped) break;
          await strike().catch((err: Error) => process.stderr.write(`chaos: strike failed: ${err.message}\n`));
        }
      })(),
    );
  }

  /** Start the four fault loops. */
  start(): void {
    this.loop(15_000, 30_000, () => this.kill9());
    this.loop(5_000, 10_000, () => this.restartServer());
    this.loop(45_000, 75_000, () => this.linkDown());
    this.loop(30_000, 60_000, () => this.sigstop());
  }

  /** Stop striking and wait for the strikes in progress to end (links up, workers resumed). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    await Promise.all(this.measures);
  }

  private async kill9(): Promise<void> {
    const v = await this.victim(false);
    if (v === null) return;
    const w = this.env.workers.get(v.name)!;
    const t = Date.now();
    w.proc.child.kill('SIGKILL');
    this.env.workers.delete(v.name);
    this.env.spawnWorker(w.host);
    const s: Strike = { kind: 'kill9', at_s: this.now(), target: v.name, recovery_ms: null };
    this.strikes.push(s);
    s.recovery_ms = await this.retaken(v.held, t);
  }

  private async restartServer(): Promise<void> {
    const before = (await this.states()).filter((r) => TERMINAL.has(r.status)).length;
    const t = Date.now();
    const s: Strike = { kind: 'server_restart', at_s: this.now(), target: this.env.backend, recovery_ms: null };
    this.strikes.push(s);
    await services([this.env.backend === 'postgres' ? 'restart-pg' : 'restart-redis', this.env.svcDir]);
    s.down_ms = Date.now() - t;
    // The next outcome is measured in the background: the next restart does not wait for it.
    this.measures.push(
      (async () => {
        while (Date.now() - t < 300_000) {
          if ((await this.states()).filter((r) => TERMINAL.has(r.status)).length > before) {
            s.recovery_ms = Date.now() - t;
            return;
          }
          if (this.stopped) {
            s.cut = true; // every run had ended: there was no next outcome to wait for
            return;
          }
          await sleep(200);
        }
      })(),
    );
  }

  private async linkDown(): Promise<void> {
    const v = await this.victim(false);
    if (v === null) return;
    const hostIx = this.env.workers.get(v.name)!.host;
    const key = `host${hostIx}`;
    const names = [...this.env.workers.entries()].filter(([, w]) => w.host === hostIx).map(([n]) => n);
    if (names.some((n) => this.busy.has(n))) return;
    this.busy.add(key);
    try {
      const held = await this.heldBy(names);
      const t = Date.now();
      this.env.hosts[hostIx]!.linkDown();
      const s: Strike = { kind: 'link_down', at_s: this.now(), target: this.env.hosts[hostIx]!.ns, recovery_ms: null };
      this.strikes.push(s);
      const back = this.retaken(held, t);
      await sleep(30_000);
      this.env.hosts[hostIx]!.linkUp();
      s.recovery_ms = await back;
    } finally {
      this.env.hosts[hostIx]!.linkUp();
      this.busy.delete(key);
    }
  }

  private async sigstop(): Promise<void> {
    const v = await this.victim(true);
    if (v === null) return;
    const w = this.env.workers.get(v.name)!;
    this.busy.add(v.name);
    const targets = [w.proc.child.pid!, ...v.groups.map((g) => -g)];
    try {
      const t = Date.now();
      signal(targets, 'SIGSTOP');
      const s: Strike = { kind: 'sigstop', at_s: this.now(), target: v.name, recovery_ms: null, held: v.held, refused_after_cont_ms: null };
      this.strikes.push(s);
      s.recovery_ms = await this.retaken(v.held, t, 180_000);
      signal(targets, 'SIGCONT');
      const tc = Date.now();
      while (Date.now() - tc < 120_000) {
        if ((await this.refusedOf(v.name, v.held).catch(() => [])).length > 0) {
          s.refused_after_cont_ms = Date.now() - tc;
          break;
        }
        await sleep(300);
      }
    } finally {
      signal(targets, 'SIGCONT');
      this.busy.delete(v.name);
    }
  }

  /** The refused writes of `worker` on the attempts it held when it was paused. */
  async refusedOf(worker: string, held: Array<{ id: string; attempt: number }>): Promise<FencedWrite[]> {
    const all = await this.env.reg.fencedWrites();
    return all.filter((f) => f.worker === worker && held.some((h) => h.id === f.run_id && h.attempt === f.attempt));
  }
}

/** min / median / max of the recovery times of each fault kind (ms), and how many strikes had none. */
export function recoverySummary(strikes: Strike[]): Record<string, { strikes: number; min_ms: number | null; median_ms: number | null; max_ms: number | null; unrecovered: number }> {
  const out: Record<string, { strikes: number; min_ms: number | null; median_ms: number | null; max_ms: number | null; unrecovered: number }> = {};
  for (const kind of ['kill9', 'server_restart', 'link_down', 'sigstop'] as const) {
    const ss = strikes.filter((s) => s.kind === kind && s.cut !== true);
    const xs = ss.map((s) => s.recovery_ms).filter((x): x is number => x !== null).sort((a, b) => a - b);
    out[kind] = { strikes: ss.length, min_ms: xs[0] ?? null, median_ms: xs.length ? xs[Math.floor(xs.length / 2)]! : null, max_ms: xs.length ? xs[xs.length - 1]! : null, unrecovered: ss.length - xs.length };
  }
  return out;
}

export function summary(xs: number[]): { n: number; min: number | null; median: number | null; max: number | null } {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, min: s[0] ?? null, median: s.length ? s[Math.floor(s.length / 2)]! : null, max: s.length ? s[s.length - 1]! : null };
}
