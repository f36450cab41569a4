/**
 * `runr queue sync`: bring finished runs' records home. Workers commit each run's record on its
 * branch `runr/<run_id>` and push it; the registry knows the tip (`branch_sha`). Sync fetches those
 * branches, writes each record into the local runs directory (a directory per run: no two runs
 * touch the same files, so there is nothing to merge) and updates the manifest entry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isTerminal } from '../core/queue/states.js';
import { git, gitText } from '../git/exec.js';
import { openProject } from '../store/project.js';
import { storeFor } from '../store/open-store.js';
import { updateManifestForRuns } from '../manifest/for-run.js';
import type { RunRecord } from '../core/schemas/run.js';
import { readTrees } from './git-trees.js';
import { syncVariant, variantWants, writeFiles } from './sync-variant.js';
import type { QueueBackend } from './backend.js';

export type SyncItem =
  | { run_id: string; result: 'synced'; branch_sha: string }
  | { run_id: string; result: 'unchanged'; branch_sha: string }
  | { run_id: string; result: 'no_record'; status: string }
  | { run_id: string; result: 'error'; message: string };

export interface SyncResult {
  synced: number;
  unchanged: number;
  items: SyncItem[];
}

export async function syncRecords(backend: QueueBackend, cwd: string, only?: string[]): Promise<SyncResult> {
  const project = openProject(cwd);
  const store = storeFor(project);
  const root = project.root;
  const runsRel = path.relative(root, project.runsDir).split(path.sep).join('/');
  const rows = (await backend.registry.list()).filter((r) => isTerminal(r.status) && (only === undefined || only.includes(r.run_id)));
  const withRecord = rows.filter((r) => r.outcome?.branch_sha != null);
  if (withRecord.length > 0) {
    await git(['fetch', '-q', 'origin', ...withRecord.map((r) => `+refs/heads/runr/${r.run_id}:refs/remotes/origin/runr/${r.run_id}`)], { cwd: root });
  }
  const items: SyncItem[] = [];
  // Every record in a few git processes (a tree level or the blobs per process), not a few per run.
  const trees = await readTrees(
    root,
    withRecord.flatMap((r) => {
      const sha = r.outcome?.branch_sha ?? '';
      // A batch variant's directory and registry rows come home with its record.
      return [{ key: r.run_id, sha, dir: `${runsRel}/${r.run_id}/record` }, ...(r.payload.kind === 'variant' ? variantWants(r.run_id, sha, r.payload.variant) : [])];
    }),
  );
  const localBranches = new Set(
    (await gitText(['for-each-ref', '--format=%(refname)', 'refs/heads/runr/'], { cwd: root }))
      .split('\n')
      .filter((l) => l !== ''),
  );
  const newBranches: Array<{ id: string; sha: string }> = [];
  const changedRuns: RunRecord[] = [];
  for (const r of rows) {
    const sha = r.outcome?.branch_sha ?? null;
    if (sha === null) {
      items.push({ run_id: r.run_id, result: 'no_record', status: r.status });
      continue;
    }
    try {
      const recordRel = `${runsRel}/${r.run_id}/record`;
      const files = trees.get(r.run_id) ?? null;
      if (files === null || files.size === 0) throw new Error(`branch runr/${r.run_id} at ${sha.slice(0, 12)} has no ${recordRel}`);
      // The variant's files before its record: a record at home means its results are too.
      const variantChanged = r.payload.kind === 'variant' ? await syncVariant(root, r.run_id, r.payload.variant, trees) : false;
      const changed = writeFiles(root, files) || variantChanged;
      fs.mkdirSync(store.logsDir(r.run_id), { recursive: true });
      // The run's branch, for `git log runr/<id>` and merges; a local branch someone moved is left alone.
      if (!localBranches.has(`refs/heads/runr/${r.run_id}`)) newBranches.push({ id: r.run_id, sha });
      if (changed) changedRuns.push(store.load(r.run_id).run);
      items.push({ run_id: r.run_id, result: changed ? 'synced' : 'unchanged', branch_sha: sha });
    } catch (err) {
      items.push({ run_id: r.run_id, result: 'error', message: (err as Error).message });
    }
  }
  await createBranches(root, newBranches);
  // One manifest write for all the runs that changed.
  if (changedRuns.length > 0) await updateManifestForRuns(changedRuns, store);
  return { synced: items.filter((i) => i.result === 'synced').length, unchanged: items.filter((i) => i.result === 'unchanged').length, items };
}

/** `runr/<id>` at each sha, in one `update-ref --stdin` (one by one if that transaction fails). */
async function createBranches(root: string, branches: ReadonlyArray<{ id: string; sha: string }>): Promise<void> {
  if (branches.length === 0) return;
  const zero = '0'.repeat(branches[0]!.sha.length);
  const input = branches.map((b) => `create refs/heads/runr/${b.id} ${b.sha}\n`).join('');
  const all = await git(['update-ref', '--stdin'], { cwd: root, input, allowFail: true });
  if (all.code === 0) return;
  for (const b of branches) await git(['update-ref', `refs/heads/runr/${b.id}`, b.sha, zero], { cwd: root, allowFail: true });
}
