/**
 * SIGINT/SIGTERM become an AbortSignal that long-running commands race against (STYLE §10).
 * A second Ctrl-C exits at once with 130.
 */
import { ExitCode } from '../core/errors.js';

export interface SignalScope {
  signal: AbortSignal;
  dispose(): void;
}

export function installSignalHandlers(): SignalScope {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    count += 1;
    if (count > 1) {
      process.stderr.write('\nforced exit\n');
      // The one place besides main that ends the process: the user insisted.
      process.exit(ExitCode.interrupted);
    }
    controller.abort(new Error(`received ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
