/**
 * Change notifications for the monitor: one `fs.watch` on the autonomous directory, routed by file
 * name to the run it concerns. Watching is an accelerator, never a requirement: when it cannot be
 * set up or fails later (inotify limits, network file systems), the monitor's poll still runs.
 */
import fs from 'node:fs';

export interface ChangeSource {
  /** Call `cb(fileName | null)` for each change; null when the platform does not say which file. */
  onChange(cb: (fileName: string | null) => void): void;
  close(): void;
}

export type WatchFactory = (dir: string) => ChangeSource | null;

export const fsWatch: WatchFactory = (dir) => {
  let watcher: fs.FSWatcher;
  const listeners: Array<(f: string | null) => void> = [];
  try {
    watcher = fs.watch(dir, { persistent: false }, (_event, fileName) => {
      const name = fileName === null ? null : String(fileName);
      for (const l of listeners) l(name);
    });
  } catch {
    return null;
  }
  watcher.on('error', () => {
    // Fall back to polling alone.
    watcher.close();
  });
  return {
    onChange: (cb) => listeners.push(cb),
    close: () => watcher.close(),
  };
};
