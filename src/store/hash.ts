/** Streaming sha256 of files (the Orchestration Runner's artifact digest: raw bytes, hex). */
import fs from 'node:fs';
import { createHash } from 'node:crypto';

const CHUNK = 1 << 20;

/** `onBytes(done)` after each chunk (1 MiB), for a progress line on large files. */
export async function sha256File(file: string, onBytes?: (done: number) => void): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let done = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
      done += bytesRead;
      onBytes?.(done);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export function sha256FileSync(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(n === CHUNK ? buf : buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

export function sha256Text(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
