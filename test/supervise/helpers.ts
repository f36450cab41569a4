/**
 * Helpers for the supervision tests: the task-run helpers, the shared process helpers
 * (test/helpers/processes.ts), and clean-up of detached supervisors after each test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { removeRepo, repoRoot } from '../helpers/cli.js';
import { killSpawned, sleep } from '../helpers/processes.js';

export { baseConfig, checkpointCommits, json, makeTaskRepo, readRecord, runrIn, TWO_MILESTONES, writeFile, sh } from '../tasks/helpers.js';
export type { Json } from '../tasks/helpers.js';
export { onlyRunId, pidAlive, sleep, spawnRunr, waitFor } from '../helpers/processes.js';
export { repoRoot };

const dirs: string[] = [];
const pids: number[] = [];

/** Register a directory and pids (e.g. detached supervisors) to clean up after the test. */
export function track(dir: string): string {
  dirs.push(dir);
  return dir;
}

export function trackPid(pid: number): void {
  pids.push(pid);
}

export async function cleanup(): Promise<void> {
  killSpawned();
  // Detached supervisors of runs in these directories (their pids are in the run locks).
  for (const d of dirs) {
    const runs = path.join(d, '.runr', 'runs');
    if (!fs.existsSync(runs)) continue;
    for (const id of fs.readdirSync(runs).filter((n) => n.startsWith('run_'))) {
      for (const f of ['run.lock', 'worker.pid']) {
        try {
          const info = JSON.parse(fs.readFileSync(path.join(runs, id, 'logs', f), 'utf8')) as { pid: number };
          pids.push(info.pid);
        } catch {
          // no lock: nothing running
        }
      }
    }
  }
  for (const pid of pids.splice(0)) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  await sleep(50);
  for (const d of dirs.splice(0)) removeRepo(d);
}

/** Lines of JSON on stdout. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
