/**
 * Cancel many running runs at once (issue 14: "cancel 50 running runs: every process group gone
 * within 5 s"): wait until every run is running in its own process group, start one `runr cancel`
 * per run all at once, and time each run to its process group gone from three points: its cancel
 * command's start (on a loaded machine mostly the CLI's own start), the cancel flag seen in the
 * registry, and the command's return. Used by chaos.e2e.test.ts (50 runs) and
 * cancel-many.e2e.test.ts (10 runs).
 */
import { spawnSync } from 'node:child_process';
import type { Registry } from '../../src/queue/registry.js';
import { groupAlive, runrBg, until } from './helpers.js';
import { summary } from './chaos-faults.js';

/** The process group of each run's run process (`queue-exec`, its group leader), from one `ps`. */
function runGroups(ids: string[]): Map<string, number> {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' }).stdout;
  const out = new Map<string, number>();
  for (const line of ps.split('\n')) {
    if (!line.includes('queue-exec')) continue;
    const [pid, pgid] = line.trim().split(/\s+/);
    if (pid !== pgid) continue;
    const id = ids.find((x) => line.includes(`${x}.a`));
    if (id !== undefined) out.set(id, Number(pgid));
  }
  return out;
}

/** Kill the run processes left under `workDir` (a kill -9'd worker's runs go on in their own groups). */
export function killRunGroups(workDir: string): void {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' }).stdout;
  for (const line of ps.split('\n')) {
    const [pid, pgid] = line.trim().split(/\s+/);
    if (line.includes('queue-exec') && line.includes(workDir) && pid === pgid) {
      try {
        process.kill(-Number(pgid), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

export interface CancelManyResult {
  still_alive: string[];
  not_canceled: string[];
  terminal_not_one: string[];
  report: Record<string, unknown>;
}

export async function cancelMany(o: { reg: Registry; ids: string[]; cwd: string; queueUrl: string }): Promise<CancelManyResult> {
  let groups = new Map<string, number>();
  const tWait = Date.now();
  await until(`${o.ids.length} runs to be running, each in its process group`, async () => {
    const st = new Map((await o.reg.states()).map((r) => [r.run_id, r.status]));
    groups = runGroups(o.ids);
    return o.ids.every((id) => st.get(id) === 'running' && groups.has(id));
  }, 1_500_000, 1000);
  const allRunningS = (Date.now() - tWait) / 1000;
  const started = new Map<string, number>();
  const returned = new Map<string, number>();
  const gone = new Map<string, number>();
  const answers: string[] = [];
  const cancels = o.ids.map((id) => {
    started.set(id, Date.now());
    const c = runrBg(o.cwd, ['cancel', id, '--queue', o.queueUrl, '--json']);
    return c.done.then((x) => {
      returned.set(id, Date.now());
      answers.push(x.status === 0 ? (JSON.parse(x.stdout) as { kind: string }).kind : `exit ${x.status}: ${x.stderr.slice(0, 200)}`);
    });
  });
  // When each cancel is in the registry (the flag its worker polls), seen by polling the rows.
  const flagged = new Map<string, number>();
  let watching = true;
  const flags = (async () => {
    while (watching && flagged.size < o.ids.length) {
      for (const id of o.ids.filter((x) => !flagged.has(x))) {
        const r = await o.reg.get(id).catch(() => null);
        if (r !== null && (r.cancel_requested || r.status === 'canceled')) flagged.set(id, Date.now());
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await until('every canceled run’s process group to be gone', () => {
    for (const id of o.ids) if (!gone.has(id) && !groupAlive(groups.get(id)!)) gone.set(id, Date.now());
    return gone.size === o.ids.length;
  }, 300_000, 50).catch(() => undefined);
  watching = false;
  await flags;
  await Promise.all(cancels);
  await until('every run to end canceled', async () => (await o.reg.states()).filter((r) => o.ids.includes(r.run_id) && r.status === 'canceled').length === o.ids.length, 120_000, 500).catch(() => undefined);
  const st = new Map((await o.reg.states()).map((r) => [r.run_id, r.status]));
  const terminal = await o.reg.terminalCounts();
  const fromStart = o.ids.filter((id) => gone.has(id)).map((id) => gone.get(id)! - started.get(id)!);
  // From the flag in the registry (as soon as this poll saw it: a little late, never early).
  const fromFlag = o.ids.filter((id) => gone.has(id) && flagged.has(id)).map((id) => gone.get(id)! - flagged.get(id)!);
  // Negative when the group was gone before the command returned (the worker saw the flag first).
  const fromReturn = o.ids.filter((id) => gone.has(id) && returned.has(id)).map((id) => gone.get(id)! - returned.get(id)!);
  return {
    still_alive: o.ids.filter((id) => groupAlive(groups.get(id)!)),
    not_canceled: o.ids.filter((id) => st.get(id) !== 'canceled').map((id) => `${id}: ${st.get(id) ?? 'missing'}`),
    terminal_not_one: o.ids.filter((id) => terminal.get(id) !== 1),
    report: {
      runs: o.ids.length,
      all_running_after_s: allRunningS,
      answers: answers.reduce<Record<string, number>>((m, a) => ({ ...m, [a]: (m[a] ?? 0) + 1 }), {}),
      cancel_start_to_group_gone_ms: summary(fromStart),
      cancel_flag_to_group_gone_ms: summary(fromFlag),
      cancel_return_to_group_gone_ms: summary(fromReturn),
      over_5s_from_flag: fromFlag.filter((x) => x > 5000).length,
      over_5s_from_start: fromStart.filter((x) => x > 5000).length,
      over_5s_from_return: fromReturn.filter((x) => x > 5000).length,
    },
  };
}
