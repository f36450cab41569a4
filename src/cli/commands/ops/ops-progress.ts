/** The live monitoring line on a TTY (stderr), redrawn every second; nothing when not a TTY. */
import { progressLine } from '../../progress-line.js';

export interface Progress {
  update(p: { total: number; judged: number }): void;
  stop(): void;
}

export function ttyProgress(stream: NodeJS.WriteStream, timeoutSec: number): Progress {
  if (stream.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const line = progressLine(stream);
  const started = Date.now();
  let state: { total: number; judged: number } | null = null;
  let timer: NodeJS.Timeout | null = null;
  const draw = () => {
    if (state === null) return;
    const secs = Math.floor((Date.now() - started) / 1000);
    line.set(`monitoring: ${state.judged}/${state.total} runs finished, ${secs}s elapsed (timeout ${timeoutSec}s)`);
  };
  return {
    update(p) {
      state = p;
      draw();
      if (timer === null) {
        timer = setInterval(draw, 1000);
        timer.unref();
      }
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      line.done();
      state = null;
    },
  };
}
