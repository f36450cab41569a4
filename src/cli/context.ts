import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { ByteSink } from './json-stream.js';
import { stdoutDrained, writeStdout } from './stdout-write.js';
import { colorEnabled } from './style.js';

/** What every command implementation gets: where it runs, how to print, how to stop. */
export interface CliContext {
  cwd: string;
  json: boolean;
  /** The global `--runs-dir`, when given (otherwise the config's, then the default). */
  runsDir: string | undefined;
  signal: AbortSignal;
  out: (line: string) => void;
  err: (line: string) => void;
  isTTY: boolean;
  /** Colour on stdout (TTY, NO_COLOR, FORCE_COLOR; see style.ts). */
  color: boolean;
  /** Whether stderr is a terminal: progress lines go there only then. */
  stderrTTY: boolean;
}

/** The global options, accepted before or after the subcommand (`runr -C d run …`, `runr run … -C d`). */
interface GlobalOptions {
  cwd?: string;
  json?: boolean;
  runsDir?: string;
}

let wroteStdout = false;

/** A new command line starts with nothing printed (runCli may run several in one process: tests). */
export function resetStdoutWritten(): void {
  wroteStdout = false;
}

/**
 * Standard output as bytes, for the streamed listings (json-stream.ts): `write` says false when the
 * reader is behind (a pipe), `drained` waits until it caught up.
 */
export function stdoutSink(): ByteSink {
  return {
    write: (chunk) => {
      wroteStdout = true;
      return writeStdout(chunk);
    },
    drained: stdoutDrained,
  };
}

/** Whether a command printed anything on stdout (then an error adds no `{"error"}` object to it). */
export function stdoutWritten(): boolean {
  return wroteStdout;
}

export function makeContext(cmd: Command, signal: AbortSignal): CliContext {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const cwd = globals.cwd !== undefined ? existingDir(globals.cwd) : process.cwd();
  // The terminal questions are asked when a rendering asks them: each makes its stream
  // (lazy-stdio.ts), which a `--json` command writing on stdout's descriptor never needs.
  return {
    cwd,
    json: globals.json === true,
    runsDir: globals.runsDir,
    signal,
    out: (line) => {
      wroteStdout = true;
      writeStdout(`${line}\n`);
    },
    err: (line) => process.stderr.write(`${line}\n`),
    get isTTY() {
      return process.stdout.isTTY === true;
    },
    get color() {
      return colorEnabled(process.stdout.isTTY === true, process.env);
    },
    get stderrTTY() {
      return process.stderr.isTTY === true;
    },
  };
}

/** `-C <dir>` must name a directory: never fall back to the enclosing project. */
function existingDir(dir: string): string {
  const abs = path.resolve(dir);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new UserError(`-C: no such directory: ${JSON.stringify(dir)}`);
  }
  if (!st.isDirectory()) throw new UserError(`-C: not a directory: ${JSON.stringify(dir)}`);
  return abs;
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
