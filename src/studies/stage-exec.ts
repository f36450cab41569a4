/**
 * Run one stage of one variant: create the output directories, spawn the command (argv, own
 * process group; a shell string only as the user wrote it), wait for it to exit, then judge:
 * checks, output hashes, metrics. Canceled stages return `canceled` and are not judged (the
 * stage stays interrupted in the record and resumes on the next `batch run`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventOf } from '../core/events/index.js';
import type { StageKey } from '../core/studies/cache.js';
import type { GateContext } from '../gates/context.js';
import { describeOutcome, runProcess } from '../proc/run-process.js';
import { checkLabel, evaluateChecks, stageStatus } from './checks.js';
import { clearStagePid, writeStagePid } from './pid-file.js';
import type { Hasher } from './hash-paths.js';
import type { ResolvedStage, ResolvedVariant } from './resolve.js';
import { PID_FILE } from './variant-state.js';

export interface StageExecInput {
  repo: string;
  rv: ResolvedVariant;
  stage: ResolvedStage;
  key: StageKey;
  execution: number;
  logsDir: string;
  signal: AbortSignal;
  redact: (s: string) => string;
  env: NodeJS.ProcessEnv;
  hasher: Hasher;
}

export type StageFinished = Omit<EventOf<'stage.finished'>, 'type'>;

function readNumber(abs: string, key: string): number | null {
  try {
    let cur: unknown = JSON.parse(fs.readFileSync(abs, 'utf8'));
    for (const part of key.split('.')) {
      if (cur === null || typeof cur !== 'object') return null;
      cur = (cur as Record<string, unknown>)[part];
    }
    if (typeof cur === 'boolean') return cur ? 1 : 0;
    return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
  } catch {
    return null;
  }
}

export async function execStage(i: StageExecInput): Promise<{ canceled: true } | { canceled: false; finished: StageFinished }> {
  const { repo, stage } = i;
  for (const rel of [...stage.outs, ...(stage.stdout !== null ? [stage.stdout] : [])]) fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  fs.mkdirSync(path.join(repo, i.rv.dir, 'inputs'), { recursive: true });
  fs.mkdirSync(path.join(repo, i.rv.dir, 'results'), { recursive: true });
  fs.mkdirSync(i.logsDir, { recursive: true });
  const logFile = path.join(i.logsDir, `${stage.name}.log`);
  fs.appendFileSync(logFile, `\n=== execution ${i.execution}: ${i.redact(stage.display)}\n`);
  const pidFile = path.join(i.logsDir, PID_FILE);
  const argv = typeof stage.cmd === 'string' ? [stage.cmd] : stage.cmd;
  const o = await runProcess(argv, {
    cwd: repo,
    env: { ...i.env, ...i.rv.env, RUNR_STAGE: stage.name },
    ...(stage.timeoutMs !== undefined ? { timeoutMs: stage.timeoutMs } : {}),
    signal: i.signal,
    logFile,
    transform: i.redact,
    shell: typeof stage.cmd === 'string',
    noStdin: true,
    ...(stage.stdout !== null ? { stdoutFile: path.join(repo, stage.stdout) } : {}),
    onSpawn: (pid) => writeStagePid(pidFile, { stage: stage.name, pid, host: os.hostname(), execution: i.execution }),
  });
  clearStagePid(pidFile);
  if (o.canceled) return { canceled: true };
  const processOk = o.exitCode === 0 && !o.timedOut && o.spawnError === null;
  const outs = i.hasher.hashAll(repo, stage.outs);
  const missing = Object.entries(outs).filter(([, s]) => s === null).map(([p]) => p);
  const ctx: GateContext = { root: repo, vars: i.rv.vars, depth: 'standard', signal: i.signal, redact: i.redact, logDir: i.logsDir, env: { ...i.env, ...i.rv.env, RUNR_STAGE: stage.name } };
  const checks = await evaluateChecks(stage.checks, ctx);
  const status = stageStatus(processOk, missing, checks);
  const failures: string[] = [];
  if (!processOk) failures.push(describeOutcome(o));
  if (missing.length > 0) failures.push(`out missing after run: ${missing.map((m) => path.posix.relative(i.rv.dir, m)).join(', ')}`);
  for (const c of checks) if (c.status === 'FAIL') failures.push(`check ${checkLabel(c)} failed${c.detail !== null ? ` (${c.detail})` : ''}`);
  const metrics: Record<string, number | null> = {};
  for (const m of stage.metrics) metrics[m.name] = readNumber(path.join(repo, m.file), m.key);
  return {
    canceled: false,
    finished: {
      execution: i.execution,
      stage: stage.name,
      status,
      key: i.key,
      outs,
      exit_code: o.exitCode,
      signal: o.signal,
      timed_out: o.timedOut,
      duration_ms: o.durationMs,
      checks,
      failure_reason: failures.length > 0 ? failures.join('; ') : null,
      metrics,
      log: path.relative(repo, logFile).split(path.sep).join('/'),
    },
  };
}
