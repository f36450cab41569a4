/** `executor: command` — run the gate's argv, log its output, record it as an invocation. */
import fs from 'node:fs';
import path from 'node:path';
import { substitute } from '../../core/template.js';
import { describeOutcome, runProcess } from '../../proc/run-process.js';
import type { InvocationInput } from '../gate-ops.js';
import { runVars } from '../gate-ops.js';
import type { ExecutorEnv, ExecutorOutcome } from './types.js';

export async function runCommandExecutor(env: ExecutorEnv): Promise<ExecutorOutcome> {
  const { store, run, gate, attempt } = env;
  const vars = runVars(run);
  const argv = (gate.command ?? []).map((a) => substitute(a, vars).value);
  const logDir = path.join(store.logsDir(run.run_id), 'gates', gate.gate);
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `attempt-${attempt}.log`);
  env.say(`  $ ${argv.join(' ')}`);
  const startedAt = new Date().toISOString();
  const o = await runProcess(argv, {
    cwd: store.project.root,
    env: {
      ...process.env,
      RUNR_RUN_ID: run.run_id,
      RUNR_GATE: gate.gate,
      RUNR_ATTEMPT: String(attempt),
      RUNR_PROMPT_FILE: env.promptFile,
      RUNR_SLUG: run.workflow.slug,
      RUNR_ARTIFACT_PATH: run.workflow.artifact_path,
      RUNR_DEPTH: run.depth,
      RUNR_REPO_ROOT: store.project.root,
    },
    timeoutMs: (gate.timeout_s ?? 1800) * 1000,
    signal: env.signal,
    logFile,
    transform: (s) => store.redactText(s),
    stdin: fs.readFileSync(env.promptFile, 'utf8'),
  });
  const ok = o.exitCode === 0 && !o.timedOut && !o.canceled;
  const invocation: InvocationInput = {
    gate: gate.gate,
    agent: gate.agent ?? path.basename(argv[0] ?? 'command'),
    status: ok ? 'SUCCESS' : 'FAIL',
    model: 'command',
    durationMs: o.durationMs,
    startedAt,
    log: store.display(logFile),
  };
  if (o.canceled) return { kind: 'interrupted', invocation };
  if (!ok) return { kind: 'failed', reason: `Command failed: ${argv.join(' ')} (${describeOutcome(o)})`, invocation };
  return { kind: 'validate', invocation };
}
