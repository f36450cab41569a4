/**
 * The path of the `runr` launcher running now, for commands that run runr itself as a child
 * process (the demos print and run the very commands a user would type). `process.argv[1]` is the
 * launcher (bin/runr.js, or the npm global shim resolved to it), whatever the build layout.
 */
import path from 'node:path';

export function runrBin(): string {
  const bin = process.argv[1];
  if (bin === undefined) throw new Error('runr: cannot tell where the runr launcher is (no process.argv[1])');
  return path.resolve(bin);
}
