/**
 * `executor: manual` — a human (or the agent they drive) does the work. On a TTY: wait for Enter.
 * Without one: wait until the required outputs exist and have stopped changing, or until the
 * attempt is finished from another shell (`runr gate finish`), or the timeout.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { isRequired } from '../../core/gates/failure-reason.js';
import { resolveTemplate } from '../../gates/context.js';
import { runVars } from '../gate-ops.js';
import type { ExecutorEnv, ExecutorOutcome } from './types.js';

function waitForEnter(signal: AbortSignal): Promise<'enter' | 'aborted' | 'eof'> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin });
    const done = (v: 'enter' | 'aborted' | 'eof') => {
      signal.removeEventListener('abort', onAbort);
      rl.removeAllListeners();
      rl.close();
      resolve(v);
    };
    const onAbort = () => done('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    rl.once('line', () => done('enter'));
    rl.once('close', () => done('eof'));
  });
}

/** A fingerprint of the required outputs (null while any is missing). */
export function outputsFingerprint(env: Pick<ExecutorEnv, 'store' | 'run' | 'contract'>): string | null {
  const ctx = { root: env.store.project.root, vars: runVars(env.run) };
  const parts: string[] = [];
  const any = env.contract.required_outputs?.any_of ?? [];
  if (any.length > 0) {
    const present = any.map((o) => resolveTemplate(ctx, o.path)).filter((r) => r.ok && fs.existsSync(r.abs));
    if (present.length === 0) return null;
    for (const r of present) if (r.ok) parts.push(stamp(r.abs));
  }
  for (const o of env.contract.required_outputs?.all_of ?? []) {
    if (!isRequired(o, env.run.depth)) continue;
    const r = resolveTemplate(ctx, o.path);
    if (!r.ok || !fs.existsSync(r.abs)) return null;
    parts.push(stamp(r.abs));
  }
  return parts.join('|');
}

function stamp(abs: string): string {
  const st = fs.statSync(abs);
  return `${abs}:${st.size}:${st.mtimeMs}`;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export async function runManualExecutor(env: ExecutorEnv): Promise<ExecutorOutcome> {
  const { store, run, gate, attempt } = env;
  const finishCmd = `runr gate finish --run ${run.run_id} --gate ${gate.gate}`;
  if (env.isTTY) {
    env.say(`  prompt packet: ${store.display(env.promptFile)}`);
    env.say(`  do the work, then press Enter to validate (Ctrl-C stops)`);
    const r = await waitForEnter(env.signal);
    if (r === 'aborted') return { kind: 'interrupted' };
    return { kind: 'validate' };
  }
  env.say(`  prompt packet: ${store.display(env.promptFile)}`);
  env.say(`  waiting for the required outputs (or \`${finishCmd}\` from another shell), up to ${Math.round(env.waitTimeoutMs / 1000)} s`);
  const deadline = Date.now() + env.waitTimeoutMs;
  let lastPrint: string | null = null;
  for (;;) {
    if (env.signal.aborted) return { kind: 'interrupted' };
    const current = store.load(run.run_id).run;
    const a = current.gates.find((g) => g.gate === gate.gate)?.attempts.find((x) => x.attempt === attempt);
    if (a !== undefined && a.status !== 'RUNNING') return { kind: 'finished_elsewhere' };
    const print = outputsFingerprint(env);
    // Outputs present and unchanged since the last poll: the writer is done.
    if (print !== null && print === lastPrint) return { kind: 'validate' };
    lastPrint = print;
    if (Date.now() >= deadline) return { kind: 'failed', reason: `Timed out after ${Math.round(env.waitTimeoutMs / 1000)} s waiting for outputs` };
    await sleep(env.pollMs, env.signal);
  }
}
