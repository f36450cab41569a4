/**
 * A generated store for the view tests: one git repository holding workflow runs (the fixture
 * visual-essay workflow, driven gate by gate with the real CLI, with seeds and failed attempts)
 * and an agent task run (scripted worker, two milestones), all under .runr/runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeRepo, runr, writeFile } from '../helpers/cli.js';
import type { RunrResult } from '../helpers/cli.js';
import { baseConfig, sh, TASK_MD, TWO_MILESTONES } from '../tasks/helpers.js';

export const WORKFLOW = 'orchestration/runner/workflows/visual-essay.json';
/** A param whose text would end the page's data element if it were embedded naively. */
export const NASTY = '</script><script>window.__pwned=1</script><!--';
/** A value recorded in a param; the view tests set it as a secret in the environment of `runr view`. */
export const LATE_SECRET = 's3cr3t-value-0451';

export interface GeneratedStore {
  dir: string;
  workflowRuns: Array<{ run_id: string; seed: number; status: string }>;
  taskRun: string;
}

function must(r: RunrResult, what: string): RunrResult {
  if (r.status !== 0 && r.status !== 1) throw new Error(`${what}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function startRun(dir: string, seed: number, extra: string[] = []): string {
  const r = must(runr(['run', 'start', '--workflow', WORKFLOW, '--slug', `essay-${seed}`, '--artifact-path', `essays/e${seed}`, '--param', `seed=${seed}`, ...extra, '--json'], { cwd: dir }), 'run start');
  return (JSON.parse(r.stdout) as { run_id: string }).run_id;
}

function gate(dir: string, runId: string, verb: 'start' | 'finish', g = 'G1'): RunrResult {
  return must(runr(['gate', verb, '--run', runId, '--gate', g, '--json'], { cwd: dir }), `gate ${verb}`);
}

export function taskRepo(script: object = TWO_MILESTONES): string {
  const dir = makeRepo();
  writeFile(dir, 'README.md', '# view test\n');
  writeFile(dir, '.gitignore', '.runr/runs/*/logs/\n.runr/worktrees/\n.runr/view.html\nnode_modules/\n');
  writeFile(dir, '.runr/runr.config.json', baseConfig());
  writeFile(dir, '.runr/script.json', script);
  writeFile(dir, '.runr/tasks/task.md', TASK_MD);
  sh(dir, ['add', '-A']);
  sh(dir, ['commit', '-q', '-m', 'init']);
  return dir;
}

export function generateStore(): GeneratedStore {
  const dir = taskRepo();
  const workflowRuns: GeneratedStore['workflowRuns'] = [];
  const intake = (seed: number) => writeFile(dir, `essays/e${seed}/research/INTAKE.md`, `# Intake ${seed}\n`);
  // seed 1: G1 fails (no intake yet), then passes on a second attempt; completed PASSED.
  const r1 = startRun(dir, 1, ['--param', `note=${NASTY}`]);
  gate(dir, r1, 'start');
  gate(dir, r1, 'finish');
  intake(1);
  gate(dir, r1, 'start');
  gate(dir, r1, 'finish');
  must(runr(['run', 'complete', '--run', r1, '--status', 'PASSED'], { cwd: dir }), 'run complete');
  workflowRuns.push({ run_id: r1, seed: 1, status: 'PASSED' });
  // seeds 2 and 4: G1 fails, the run is FAILED.
  for (const seed of [2, 4]) {
    const id = startRun(dir, seed);
    gate(dir, id, 'start');
    gate(dir, id, 'finish');
    workflowRuns.push({ run_id: id, seed, status: 'FAILED' });
  }
  // seed 3: passes and completes; seed 5: G1 passes, the run goes on (RUNNING).
  for (const seed of [3, 5]) {
    const id = startRun(dir, seed, seed === 3 ? ['--param', `label=${LATE_SECRET}`] : []);
    intake(seed);
    gate(dir, id, 'start');
    gate(dir, id, 'finish');
    if (seed === 3) must(runr(['run', 'complete', '--run', id, '--status', 'PASSED'], { cwd: dir }), 'run complete');
    workflowRuns.push({ run_id: id, seed, status: seed === 3 ? 'PASSED' : 'RUNNING' });
  }
  const t = runr(['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground'], { cwd: dir });
  if (t.status !== 0) throw new Error(`task run: exit ${t.status}\n${t.stdout}\n${t.stderr}`);
  const taskRun = (JSON.parse(t.stdout) as { run_id: string }).run_id;
  return { dir, workflowRuns, taskRun };
}

/** Phase events of a task run's journal (one timeline bar each). */
export function phaseEventCount(dir: string, runId: string): number {
  const lines = fs.readFileSync(path.join(dir, '.runr', 'runs', runId, 'record', 'events.jsonl'), 'utf8').trim().split('\n');
  return lines.map((l) => JSON.parse(l) as { type: string }).filter((e) => ['task.planned', 'task.implemented', 'task.verified', 'task.reviewed', 'task.checkpointed'].includes(e.type)).length;
}
