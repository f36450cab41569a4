import type { Command } from 'commander';
import path from 'node:path';

/** What every command implementation gets: where it runs, how to print, how to stop. */
export interface CliContext {
  cwd: string;
  json: boolean;
  signal: AbortSignal;
  out: (line: string) => void;
  err: (line: string) => void;
  isTTY: boolean;
  color: boolean;
}

let wroteStdout = false;

/** Whether a command printed anything on stdout (then an error adds no `{"error"}` object to it). */
export function stdoutWritten(): boolean {
  return wroteStdout;
}

export function makeContext(cmd: Command, signal: AbortSignal): CliContext {
  const globals = cmd.optsWithGlobals<{ cwd?: string; json?: boolean }>();
  const cwd = globals.cwd !== undefined ? path.resolve(globals.cwd) : process.cwd();
  const isTTY = process.stdout.isTTY === true;
  return {
    cwd,
    json: globals.json === true,
    signal,
    out: (line) => {
      wroteStdout = true;
      process.stdout.write(`${line}\n`);
    },
    err: (line) => process.stderr.write(`${line}\n`),
    isTTY,
    color: isTTY && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb',
  };
}

/** Print a result: JSON (one object, stable shape) or the human rendering. */
export function emit(ctx: CliContext, json: unknown, human: () => string | string[]): void {
  if (ctx.json) {
    ctx.out(JSON.stringify(json, null, 2));
    return;
  }
  const text = human();
  for (const line of Array.isArray(text) ? text : [text]) ctx.out(line);
}
