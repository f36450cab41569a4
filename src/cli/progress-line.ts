/**
 * One progress line on a terminal's stderr, redrawn in place (`\r` + erase line) at most every
 * 100 ms and erased when done. Off the terminal it draws nothing: logs and pipes get no progress.
 */
export interface ProgressLine {
  set(text: string): void;
  done(): void;
}

const REDRAW_MS = 100;

export function progressLine(stream: NodeJS.WriteStream, now: () => number = Date.now): ProgressLine {
  if (stream.isTTY !== true) return { set: () => undefined, done: () => undefined };
  let last = -Infinity;
  let shown = false;
  return {
    set(text) {
      const t = now();
      if (t - last < REDRAW_MS) return;
      last = t;
      shown = true;
      stream.write(`\r\u001b[K${text}`);
    },
    done() {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
}

/** Hashing progress for `gate finish`: only artifacts of at least `minBytes` are shown. */
export function hashingProgress(line: ProgressLine, minBytes = 32 * 1024 * 1024): (artifact: string, done: number, total: number) => void {
  return (artifact, done, total) => {
    if (total < minBytes) return;
    const mb = (n: number) => (n / (1024 * 1024)).toFixed(0);
    line.set(`hashing ${artifact}: ${mb(done)}/${mb(total)} MiB (${Math.floor((done / total) * 100)}%)`);
  };
}
