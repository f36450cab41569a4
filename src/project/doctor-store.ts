/** Doctor checks for runr's own files: config, contracts, workflows, ignore rules, locks, sizes. */
import fs from 'node:fs';
import path from 'node:path';
import { ContractSchema } from '../core/schemas/contract.js';
import { checkContractPaths, loadContract } from '../gates/contract-loader.js';
import { inspectLock } from '../store/lock.js';
import type { Project } from '../store/project.js';
import { relToRoot } from '../store/project.js';
import { readJsonFile } from '../store/read-json.js';
import type { RunStore } from '../store/run-store.js';
import { walkFiles } from '../store/walk.js';
import { loadWorkflow } from '../workflows/workflow-file.js';
import type { CheckResult } from './doctor-types.js';
import { gitSyncText } from '../git/exec.js';
import { checkIgnored, isGitRepo } from '../git/probe.js';
import { ignoreProbes } from './ignore-rules.js';

const msg = (err: unknown) => (err instanceof Error ? err.message : String(err));

function listFiles(dir: string, re: RegExp): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => re.test(f)).map((f) => path.join(dir, f)).sort();
  } catch {
    return [];
  }
}

export function checkContracts(project: Project): CheckResult[] {
  const dirs = [project.contractsDir, path.join(project.root, 'orchestration', 'gates', 'contracts')];
  const files = dirs.flatMap((d) => listFiles(d, /\.contract\.json$/));
  if (files.length === 0) return [{ name: 'contracts', status: 'ok', detail: 'no contracts yet' }];
  return files.map((f) => {
    const display = relToRoot(project, f);
    try {
      checkContractPaths(readJsonFile(f, ContractSchema, display), display);
      return { name: `contract ${display}`, status: 'ok', detail: 'parses' };
    } catch (err) {
      return { name: `contract ${display}`, status: 'fail', detail: msg(err) };
    }
  });
}

export async function checkWorkflows(project: Project): Promise<CheckResult[]> {
  const dirs = [project.workflowsDir, path.join(project.root, 'orchestration', 'runner', 'workflows')];
  const files = dirs.flatMap((d) => listFiles(d, /\.(json|ya?ml)$/));
  const out: CheckResult[] = [];
  for (const f of files) {
    const display = relToRoot(project, f);
    try {
      const wf = await loadWorkflow(project, project.root, display);
      for (const g of wf.workflow.gates) loadContract(project, g.gate, g.contract);
      out.push({ name: `workflow ${display}`, status: 'ok', detail: `${wf.workflow.gates.length} gates, contracts found` });
    } catch (err) {
      out.push({ name: `workflow ${display}`, status: 'fail', detail: msg(err) });
    }
  }
  return out;
}

export function checkGit(project: Project): CheckResult[] {
  if (!isGitRepo(project.root)) return [{ name: 'git', status: 'warn', detail: 'not a git repository: records cannot be tracked', hint: 'git init' }];
  const head = gitSyncText(['rev-parse', '--verify', '-q', 'HEAD'], { cwd: project.root });
  const status = gitSyncText(['status', '--porcelain=v1', '-z', '--untracked-files=no'], { cwd: project.root });
  const dirty = status.stdout.split('\0').filter((s) => s !== '').length;
  return [
    {
      name: 'git',
      status: head.ok ? 'ok' : 'warn',
      detail: head.ok ? `HEAD ${head.stdout.trim().slice(0, 12)}, ${dirty === 0 ? 'clean' : `${dirty} modified tracked file(s)`}` : 'no commits yet',
      ...(head.ok ? {} : { hint: 'make a first commit' }),
    },
  ];
}

export function checkIgnoreRules(project: Project): CheckResult[] {
  if (!isGitRepo(project.root)) return [];
  const probes = ignoreProbes(relToRoot(project, project.runrDir), relToRoot(project, project.runsDir));
  const ignored = checkIgnored(project.root, probes.map((p) => p.path));
  const wrong = probes.filter((p) => ignored.has(p.path) !== p.ignored);
  if (wrong.length === 0) return [{ name: 'ignore rules', status: 'ok', detail: 'logs, worktrees and archives ignored; records and manifest tracked' }];
  return [
    {
      name: 'ignore rules',
      status: 'fail',
      detail: wrong.map((w) => `${w.path} should ${w.ignored ? '' : 'not '}be ignored`).join('; '),
      hint: 'runr init (updates the managed .gitignore block)',
    },
  ];
}

export function checkLocks(store: RunStore): CheckResult[] {
  const stale: string[] = [];
  for (const id of store.listIds()) {
    const st = inspectLock(path.join(store.logsDir(id), 'writer.lock'));
    if (st.kind === 'stale') stale.push(`${id} (${st.why}${st.info ? `, pid ${st.info.pid} on ${st.info.host}` : ''})`);
  }
  if (stale.length === 0) return [{ name: 'locks', status: 'ok', detail: 'no stale locks' }];
  return [{ name: 'locks', status: 'warn', detail: `stale writer lock(s): ${stale.join(', ')}`, hint: 'harmless: the next writer takes a stale lock over' }];
}

function dirBytes(dir: string): number {
  let total = 0;
  walkFiles(dir, (abs) => {
    total += fs.statSync(abs).size;
  });
  return total;
}

export interface RunBytes {
  run_id: string;
  record_bytes: number;
  logs_bytes: number;
}

export function runBytes(store: RunStore): RunBytes[] {
  return store.listIds().map((id) => ({ run_id: id, record_bytes: dirBytes(store.recordDir(id)), logs_bytes: dirBytes(store.logsDir(id)) }));
}
