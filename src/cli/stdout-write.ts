/**
 * What a command prints on stdout, written to file descriptor 1 itself until something makes
 * process.stdout. Making that stream costs a command several milliseconds of its start (a pipe's
 * loads net and the stream machinery), and a blocking write is what a pipe's stream does anyway
 * on Linux; a full pipe blocks the write, which is the backpressure the listings need.
 *
 * Only the binary turns this on (main.ts, `writeStdoutDirectly`), and it is turned off for good
 * the moment process.stdout is made (lazy-stdio.ts), so nothing written through the stream can be
 * overtaken. A descriptor that is not blocking (EAGAIN) or any other error hands the unwritten rest
 * to the stream, which queues it or reports the error as before; EPIPE (the reader went away) calls
 * `onEpipe`, as the stream's error listener would.
 */
import fs from 'node:fs';

let direct = false;
let onEpipe: () => void = () => undefined;

/** From main.ts: write directly until the stream is made. */
export function writeStdoutDirectly(epipe: () => void): void {
  direct = true;
  onEpipe = epipe;
}

/** From main.ts, when process.stdout is first made: from now on everything goes through it. */
export function stopWritingDirectly(): void {
  direct = false;
}

/** Write `chunk` on stdout; false when the stream says its reader is behind (see `stdoutDrained`). */
export function writeStdout(chunk: string | Uint8Array): boolean {
  if (!direct) return process.stdout.write(chunk);
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  let off = 0;
  try {
    while (off < bytes.length) off += fs.writeSync(1, bytes, off, bytes.length - off);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') {
      onEpipe();
      return true;
    }
    direct = false;
    return process.stdout.write(bytes.subarray(off));
  }
}

/** Resolves when the stream (if one is in use) has caught up with its reader. */
export function stdoutDrained(): Promise<void> {
  if (direct || !process.stdout.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}
