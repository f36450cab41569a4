/**
 * `--verifier '<argv>'`: an external verifier run once per verified run, its exit code and JSON
 * output recorded as the check `external_verifier` (pass = exit 0). The command is an argv (no
 * shell). Placeholders in any argument: {envelope} {events} {metrics} {runtime} {run_id} {instance}
 * {model}; without any placeholder the envelope path is appended. The same values are in the
 * environment as RUNR_OPS_ENVELOPE, RUNR_OPS_EVENTS, RUNR_OPS_METRICS, RUNR_OPS_RUNTIME_DIR,
 * RUNR_OPS_RUN_ID, RUNR_OPS_INSTANCE_ID, RUNR_OPS_MODEL_ID.
 */
import type { Candidate, Check } from '../core/ops/types.js';
import { runProcess } from '../proc/run-process.js';

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

export async function runExternalVerifier(c: Candidate, opts: ExternalVerifierOptions): Promise<Check> {
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
  if (argv[0] === undefined) return { pass: false, argv, exit_code: null, error: 'empty command' };
  // Timeout and Ctrl-C kill the verifier's group at once (SIGKILL, no grace); it gets no stdin.
  const o = await runProcess(argv, {
    cwd: opts.cwd,
    noStdin: true,
    timeoutMs: opts.timeoutMs,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    killGraceMs: 0,
    reapGroup: 'never',
    captureStdoutBytes: MAX_STDOUT,
    stderrTailBytes: TAIL,
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
  const error = o.spawnError !== null ? `could not start: ${o.spawnError}` : null;
  let output: unknown = null;
  const text = o.stdout.trim();
  if (text !== '') {
    try {
      output = JSON.parse(text) as unknown;
    } catch {
      output = null;
    }
  }
  const check: Check = { pass: o.exitCode === 0 && error === null && !o.timedOut, argv, exit_code: o.exitCode, output, duration_ms: o.durationMs };
  if (o.signal !== null) check.signal = o.signal;
  if (o.timedOut) check.timed_out = true;
  if (error !== null) check.error = error;
  if (output === null && text !== '') check.stdout_tail = text.slice(-TAIL);
  if (o.stderrTail.trim() !== '') check.stderr_tail = o.stderrTail.trim();
  return check;
}
