/**
 * Verification of a merged tree (the merge queue): the config's tiers in order, each command the
 * shell string the user wrote, in the integration worktree; the first failure ends it. Output goes
 * to a log (redacted); the result keeps the failing command and the tail of its output.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TaskConfig } from '../core/tasks/config.js';
import { runProcess } from '../proc/run-process.js';

const TAIL = 2000;

export interface MergedVerification {
  ok: boolean;
  commands: Array<{ tier: string; command: string; exit_code: number | null; duration_ms: number }>;
  failure: { tier: string; command: string; exit_code: number | null; output_tail: string } | null;
  canceled: boolean;
}

export async function verifyMerged(dir: string, config: TaskConfig, opts: { logFile: string; signal: AbortSignal; redact: (s: string) => string; env: Record<string, string> }): Promise<MergedVerification> {
  const v = config.verification;
  const tiers = [
    ['tier0', v.tier0],
    ['tier1', v.tier1],
    ['tier2', v.tier2],
  ] as const;
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const cwd = path.join(dir, v.cwd);
  const commands: MergedVerification['commands'] = [];
  for (const [tier, list] of tiers) {
    for (const command of list) {
      fs.appendFileSync(opts.logFile, `--- ${new Date().toISOString()} ${tier}: ${opts.redact(command)}\n`);
      const o = await runProcess([command], { cwd, env: { ...process.env, ...opts.env }, shell: true, timeoutMs: v.timeout_s * 1000, signal: opts.signal, logFile: opts.logFile, transform: opts.redact, tailBytes: TAIL });
      commands.push({ tier, command, exit_code: o.exitCode, duration_ms: o.durationMs });
      if (o.canceled) return { ok: false, commands, failure: null, canceled: true };
      if (o.exitCode !== 0 || o.spawnError !== null) {
        const tail = o.spawnError !== null ? `could not start: ${o.spawnError}` : o.outputTail + (o.timedOut ? `\n[timed out after ${v.timeout_s} s]` : '');
        return { ok: false, commands, failure: { tier, command, exit_code: o.exitCode, output_tail: opts.redact(tail).slice(-TAIL) }, canceled: false };
      }
    }
  }
  return { ok: true, commands, failure: null, canceled: false };
}
