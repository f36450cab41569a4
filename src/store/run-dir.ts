/** A new run's directory, created exclusively under a fresh id (or the id given), with record/ and logs/. */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { isRunId, makeRunId } from '../core/ids.js';

export function makeRunDir(runsDir: string, slug: string, now: () => Date, random6: () => string, given?: string): string {
  fs.mkdirSync(runsDir, { recursive: true });
  let runId = '';
  for (let tries = 0; ; tries++) {
    if (given !== undefined) {
      if (!isRunId(given)) throw new UserError(`invalid run id ${JSON.stringify(given)}`);
      runId = given;
      fs.mkdirSync(path.join(runsDir, runId));
      break;
    }
    runId = makeRunId(slug, now(), random6);
    try {
      fs.mkdirSync(path.join(runsDir, runId));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 20) throw err;
    }
  }
  const dir = path.join(runsDir, runId);
  fs.mkdirSync(path.join(dir, 'record'));
  fs.mkdirSync(path.join(dir, 'logs'));
  return runId;
}
