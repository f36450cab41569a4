/**
 * What the fault runs assert once every run has ended (test/queue/chaos.e2e.test.ts): 0 lost runs
 * (every run succeeded), exactly one terminal record per run, `queue sync` brings every record home,
 * exactly one checkpoint commit per run branch (0 duplicates, 0 branches missing), and every record passes the audit
 * (`runr audit`, the CLI, on a few; the same audit in-process on all). Returns the findings as
 * lists, each empty when all is well, so the test shows every failure at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { auditRun } from '../../src/project/audit-run.js';
import { openProject } from '../../src/store/project.js';
import { storeFor } from '../../src/store/open-store.js';
import type { Registry } from '../../src/queue/registry.js';
import { checkpointCommits, json, runrIn } from './helpers.js';

export interface Verdict {
  not_succeeded: string[];
  terminal_not_one: string[];
  synced: unknown;
  duplicate_checkpoints: string[];
  missing_branches: string[];
  failed_audit: string[];
  attempts: number;
  phases_s: { sync: number; checkpoints: number; audit: number };
}

/** The tail of an attempt's log in the worker's directory (for a run that did not succeed). */
function logTail(workDir: string, id: string, attempt: number, worker: string | null): string {
  try {
    return fs.readFileSync(path.join(workDir, worker ?? '', 'logs', `${id}.a${attempt}.log`), 'utf8').slice(-1500);
  } catch {
    return '(no log)';
  }
}

export async function verifyRuns(o: { reg: Registry; ids: string[]; repoDir: string; workDir: string; queueUrl: string; milestones: number }): Promise<Verdict> {
  const rows = await o.reg.list();
  const terminal = await o.reg.terminalCounts();
  const byId = new Map(rows.map((r) => [r.run_id, r]));
  const notSucceeded = o.ids.filter((id) => byId.get(id)?.status !== 'succeeded').map((id) => {
    const r = byId.get(id);
    return r === undefined ? `${id}: not in the registry` : `${id} ${r.status} attempt ${r.attempt} on ${r.worker ?? '-'}: ${JSON.stringify(r.outcome)}\n${logTail(o.workDir, id, r.attempt, r.worker)}`;
  });
  const t0 = Date.now();
  const sync = json(runrIn(o.repoDir, ['queue', 'sync', '--queue', o.queueUrl, '--json'], { timeoutMs: 1_800_000 }));
  const t1 = Date.now();
  const dupes: string[] = [];
  const missingBranches: string[] = [];
  for (const id of o.ids) {
    // A run branch that sync did not bring home is a finding beside the others, not the end of the
    // verdict (the first full PostgreSQL run stopped at one and printed nothing else).
    let commits: ReturnType<typeof checkpointCommits>;
    try {
      commits = checkpointCommits(o.repoDir, `runr/${id}`);
    } catch {
      const r = byId.get(id);
      missingBranches.push(`${id}: runr/${id} not in the repository after sync (registry: ${r === undefined ? 'no row' : `${r.status}, attempt ${r.attempt} on ${r.worker ?? '-'}`})`);
      continue;
    }
    const ms = commits.map((c) => c.milestone).filter((m) => m !== '');
    if (new Set(ms).size !== ms.length || ms.length !== o.milestones) dupes.push(`${id}: ${ms.join(',')}`);
  }
  const t2 = Date.now();
  const failedAudit: string[] = [];
  for (const id of o.ids.slice(0, 3)) {
    const a = runrIn(o.repoDir, ['audit', id]);
    if (a.status !== 0) failedAudit.push(`${id}: ${a.stdout}${a.stderr}`);
  }
  const store = storeFor(openProject(o.repoDir));
  for (const id of o.ids) {
    try {
      const a = await auditRun(store, id);
      if (!a.ok) failedAudit.push(`${id}: ${JSON.stringify(a)}`);
    } catch (err) {
      failedAudit.push(`${id}: ${(err as Error).message}`);
    }
  }
  return {
    not_succeeded: notSucceeded,
    terminal_not_one: o.ids.filter((id) => terminal.get(id) !== 1).map((id) => `${id}: ${terminal.get(id) ?? 0}`),
    synced: sync.synced,
    duplicate_checkpoints: dupes,
    missing_branches: missingBranches,
    failed_audit: failedAudit,
    attempts: rows.filter((r) => o.ids.includes(r.run_id)).reduce((n, r) => n + r.attempt, 0),
    phases_s: { sync: (t1 - t0) / 1000, checkpoints: (t2 - t1) / 1000, audit: (Date.now() - t2) / 1000 },
  };
}
