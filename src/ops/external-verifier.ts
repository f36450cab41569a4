/**
 * `--verifier '<argv>'`: an external verifier run once per verified run, its exit code and JSON
 * output recorded as the check `external_verifier` (pass = exit 0). The command is an argv (no
 * shell). Placeholders in any argument: {envelope} {events} {metrics} {runtime} {run_id} {instance}
 * {model}; without any placeholder the envelope path is appended. The same values are in the
 * environment as RUNR_OPS_ENVELOPE, RUNR_OPS_EVENTS, RUNR_OPS_METRICS, RUNR_OPS_RUNTIME_DIR,
 * RUNR_OPS_RUN_ID, RUNR_OPS_INSTANCE_ID, RUNR_OPS_MODEL_ID.
 */
import { spawn } from 'node:child_process';
import type { Candidate, Check } from '../core/ops/types.js';

const MAX_STDOUT = 1 << 20;
const TAIL = 2000;

export interface ExternalVerifierOptions {
  argv: readonly string[];
  timeoutMs: number;
  runtimeDir: string;
  cwd: string;
  signal?: AbortSignal;
}

function expand(argv: readonly string[], vars: Record<string, string>): string[] {
  let used = false;
  const out = argv.map((a) =>
    a.replace(/\{(envelope|events|metrics|runtime|run_id|instance|model)\}/g, (_m, k: string) => {
      used = true;
      return vars[k] ?? '';
    }),
  );
  if (!used) out.push(vars.envelope ?? '');
  return out;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function runExternalVerifier(c: Candidate, opts: ExternalVerifierOptions): Promise<Check> {
  const vars: Record<string, string> = {
    envelope: c.envelope_path,
    events: c.events_path,
    metrics: c.metrics_path,
    runtime: opts.runtimeDir,
    run_id: c.run_id,
    instance: c.instance_id,
    model: c.model_id,
  };
  const argv = expand(opts.argv, vars);
  const started = Date.now();
  return new Promise<Check>((resolve) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) {
      resolve({ pass: false, argv, exit_code: null, error: 'empty command' });
      return;
    }
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        RUNR_OPS_ENVELOPE: vars.envelope,
        RUNR_OPS_EVENTS: vars.events,
        RUNR_OPS_METRICS: vars.metrics,
        RUNR_OPS_RUNTIME_DIR: vars.runtime,
        RUNR_OPS_RUN_ID: vars.run_id,
        RUNR_OPS_INSTANCE_ID: vars.instance,
        RUNR_OPS_MODEL_ID: vars.model,
      },
    });
    child.stdout.on('data', (b: Buffer) => {
      if (stdout.length < MAX_STDOUT) stdout += b.toString('utf8');
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString('utf8')).slice(-TAIL);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, opts.timeoutMs);
    const onAbort = () => killGroup(child.pid);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (exitCode: number | null, signal: string | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      let output: unknown = null;
      const text = stdout.trim();
      if (text !== '') {
        try {
          output = JSON.parse(text) as unknown;
        } catch {
          output = null;
        }
      }
      const check: Check = { pass: exitCode === 0 && error === null && !timedOut, argv, exit_code: exitCode, output, duration_ms: Date.now() - started };
      if (signal !== null) check.signal = signal;
      if (timedOut) check.timed_out = true;
      if (error !== null) check.error = error;
      if (output === null && text !== '') check.stdout_tail = text.slice(-TAIL);
      if (stderr.trim() !== '') check.stderr_tail = stderr.trim();
      resolve(check);
    };
    child.on('error', (err) => finish(null, null, `could not start: ${err.message}`));
    child.on('close', (code, signal) => finish(code, signal, null));
  });
}
