/**
 * Run a command line in this process through `runCli` — the function the binary's entry
 * (src/cli/main.ts, bundled into dist/cli.cjs) calls — with the working directory, stdout, stderr
 * and environment of a real invocation: the cwd is changed for the call (vitest's forks pool
 * allows it), both streams are captured, colours are off, and the exit code is the one main.ts
 * would set. Calls must not overlap (one at a time per worker process): the streams are global.
 * The bad-input corpus runs most cases this way and spawns a sample of them as the real binary
 * to prove both paths give the same result (bad-input-corpus.test.ts).
 */
import type { RunrResult } from '../helpers/cli.js';
import { runCli } from '../../src/cli/run-cli.js';

let busy = false;

type Write = typeof process.stdout.write;

function capture(stream: NodeJS.WriteStream, sink: string[]): () => void {
  // Put back exactly the function that was there (own property or the prototype's).
  const own = Object.prototype.hasOwnProperty.call(stream, 'write');
  const original: unknown = Reflect.get(stream, 'write');
  const fake = ((chunk: string | Uint8Array, encodingOrCb?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encodingOrCb === 'function' ? encodingOrCb : cb;
    if (done) queueMicrotask(() => done(null));
    return true;
  }) as Write;
  stream.write = fake;
  return () => {
    if (own) Reflect.set(stream, 'write', original);
    else Reflect.deleteProperty(stream, 'write');
  };
}

export async function runrInProcess(args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): Promise<RunrResult> {
  if (busy) throw new Error('runrInProcess: calls must not overlap');
  busy = true;
  const out: string[] = [];
  const err: string[] = [];
  const cwd = process.cwd();
  const exitCode = process.exitCode;
  const env = { NO_COLOR: '1', ...opts.env };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const restoreOut = capture(process.stdout, out);
  const restoreErr = capture(process.stderr, err);
  process.exitCode = undefined;
  try {
    process.chdir(opts.cwd);
    const status = await runCli([...args]);
    return { status, signal: null, stdout: out.join(''), stderr: err.join('') };
  } finally {
    restoreOut();
    restoreErr();
    process.chdir(cwd);
    process.exitCode = exitCode;
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    busy = false;
  }
}
