/**
 * SIGINT/SIGTERM become an AbortSignal that long-running commands race against (STYLE §10).
 * A second Ctrl-C exits at once with 130.
 */

export interface SignalScope {
  signal: AbortSignal;
  dispose(): void;
}

/** `forceExit` runs on a second signal (the entry point exits there with 130). */
export function installSignalHandlers(forceExit: () => void): SignalScope {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    count += 1;
    if (count > 1) {
      process.stderr.write('\nforced exit\n');
      forceExit();
      return;
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
