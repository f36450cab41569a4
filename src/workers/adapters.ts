/** Build a worker from its config entry: claude, codex, command or scripted. */
import path from 'node:path';
import type { WorkerConfig } from '../core/tasks/config.js';
import { workerAdapter } from '../core/tasks/config.js';
import { assertNever } from '../core/errors.js';
import { ProcessWorker } from './process-worker.js';
import { loadScript, ScriptedWorker } from './scripted.js';
import type { Worker } from './types.js';

/** `claude -p`: headless print mode, one JSON result object on stdout; edits allowed without prompts. */
export const CLAUDE_DEFAULT_ARGS = ['-p', '--output-format', 'json', '--permission-mode', 'acceptEdits'] as const;
/** `codex exec`: JSON lines on stdout, the prompt read from stdin (`-`). */
export const CODEX_DEFAULT_ARGS = ['exec', '--json', '--full-auto', '-'] as const;

/** A command with a slash is a path relative to the repository root; otherwise it is looked up on PATH. */
export function resolveCommand(command: string, repoRoot: string): string {
  return command.includes('/') && !path.isAbsolute(command) ? path.join(repoRoot, command) : command;
}

export function workerCommand(name: string, w: WorkerConfig): { command: string; args: string[] } | null {
  const adapter = workerAdapter(name, w);
  switch (adapter) {
    case 'claude':
      return { command: w.command ?? 'claude', args: w.args ?? [...CLAUDE_DEFAULT_ARGS] };
    case 'codex':
      return { command: w.command ?? 'codex', args: w.args ?? [...CODEX_DEFAULT_ARGS] };
    case 'command':
      return { command: w.command ?? '', args: w.args ?? [] };
    case 'scripted':
      return null;
    default:
      return assertNever(adapter, 'worker adapter');
  }
}

export function makeWorker(name: string, w: WorkerConfig, repoRoot: string): Worker {
  const adapter = workerAdapter(name, w);
  if (adapter === 'scripted') {
    const rel = w.script ?? '';
    return new ScriptedWorker(name, loadScript(path.join(repoRoot, rel), rel));
  }
  const cmd = workerCommand(name, w);
  if (cmd === null) throw new Error('unreachable');
  const output = w.output ?? (adapter === 'claude' ? 'claude-json' : adapter === 'codex' ? 'jsonl' : 'text');
  return new ProcessWorker({ name, adapter, command: resolveCommand(cmd.command, repoRoot), args: cmd.args, output, env: w.env ?? {} });
}
