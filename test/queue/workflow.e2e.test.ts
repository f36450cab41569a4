/**
 * `runr submit --workflow` on a real PostgreSQL with the built CLI: the submit makes the run id and
 * queues a workflow run; a worker runs it in CI mode in its clone (command gates), commits its
 * record on `runr/<run_id>` (a run with no worktree: one is made on the branch for the record) and
 * pushes it; `queue wait` brings it home, where it shows PASSED and passes the audit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, makeQueueRepo, runrIn, servicesAvailable, sh, startWorker, useQueueServers } from './helpers.js';

const avail = servicesAvailable();

describe.skipIf(!avail.ok)('submit --workflow on postgres', () => {
  const qs = useQueueServers('postgres');

  it('runs a queued workflow run on a worker and brings its record home', () => {
    const repo = makeQueueRepo();
    qs.repos.push(repo);
    const put = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(repo.dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(repo.dir, rel), text);
    };
    put('.runr/contracts/A.contract.json', JSON.stringify({ gate: 'A', name: 'Alpha', required_outputs: { all_of: [{ path: 'out/{slug}/a.md' }] }, validations: [{ type: 'contains_text', target: 'out/{slug}/a.md', text: 'good' }] }));
    const writer = [process.execPath, '-e', "require('fs').mkdirSync('out/'+process.env.RUNR_SLUG,{recursive:true});require('fs').writeFileSync('out/'+process.env.RUNR_SLUG+'/a.md','good')"];
    put('.runr/workflows/pipe.yaml', ['workflow: pipe', 'version: "1"', 'gates:', '  - gate: A', '    name: Alpha', '    executor: command', `    command: ${JSON.stringify(writer)}`, ''].join('\n'));
    sh(repo.dir, ['add', '-A']);
    sh(repo.dir, ['commit', '-q', '-m', 'a workflow']);
    sh(repo.dir, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
    sh(repo.dir, ['fetch', '-q', 'origin']);
    const q = `${qs.base()}?queue=wflow`;
    // A workflow that does not load fails the submit (nothing queued).
    expect(runrIn(repo.dir, ['submit', '--workflow', 'nope', '--slug', 's1', '--artifact-path', 'out/s1', '--queue', q]).status).not.toBe(0);
    const sub = json(runrIn(repo.dir, ['submit', '--workflow', 'pipe', '--slug', 's1', '--artifact-path', 'out/s1', '--queue', q, '--json']));
    expect(sub).toMatchObject({ status: 'queued', created: true });
    const id = String(sub.run_id);
    qs.workers.push(startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'wf1' }));
    const waited = runrIn(repo.dir, ['queue', 'wait', id, '--queue', q, '--timeout', '240', '--json'], { timeoutMs: 300_000 });
    expect(waited.status, waited.stdout + waited.stderr).toBe(0);
    expect(json(waited)).toMatchObject({ run_id: id, status: 'succeeded', attempt: 1, synced: 'synced' });
    // The record commit sits on the base commit (a workflow run makes no checkpoints).
    sh(repo.dir, ['fetch', '-q', 'origin']);
    expect(sh(repo.dir, ['rev-parse', `origin/runr/${id}~1`]).trim()).toBe(sh(repo.dir, ['rev-parse', 'HEAD']).trim());
    expect(sh(repo.dir, ['log', '-1', '--format=%(trailers:key=Runr-Record,valueonly)', `origin/runr/${id}`]).trim()).toBe(id);
    const shown = json(runrIn(repo.dir, ['run', 'show', '--run', id, '--json']));
    expect(shown).toMatchObject({ run_id: id, status: 'PASSED' });
    // Its artifacts are in the record commit (they were made in the worker's clone).
    sh(repo.dir, ['checkout', `origin/runr/${id}`, '--', 'out/s1']);
    expect(fs.readFileSync(path.join(repo.dir, 'out/s1/a.md'), 'utf8')).toBe('good');
    const audit = runrIn(repo.dir, ['audit', id]);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  }, 600_000);
});
