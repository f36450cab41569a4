/**
 * `runr doctor` checks for task runs: the task config parses; every worker a phase uses exists
 * and answers (`<command> --version`, killed after a timeout), or for a scripted worker, its script
 * parses; verification commands are configured; task files have a title. A missing worker is
 * always a failure — never reported as success (a defect of the peer).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RunrError } from '../core/errors.js';
import type { TaskConfig } from '../core/tasks/config.js';
import { phaseWorkers, workerAdapter } from '../core/tasks/config.js';
import type { CheckResult } from '../project/doctor-types.js';
import { runProcess } from '../proc/run-process.js';
import type { Project } from '../store/project.js';
import { resolveCommand, workerCommand } from '../workers/adapters.js';
import { loadScript } from '../workers/scripted.js';
import { loadTaskConfig } from '../config/task-section.js';
import { onPath } from './init/detect.js';
import { parseTaskText } from './task-file.js';

const ANSWER_TIMEOUT_MS = 15_000;

/**
 * A missing worker fails the doctor when task runs are set up (workers configured, or task files
 * present); in a repository that only uses workflows, the implicit default (`claude`) only warns.
 */
async function checkWorker(project: Project, name: string, cfg: TaskConfig, phases: string[], required: boolean): Promise<CheckResult> {
  const r = await probeWorker(project, name, cfg, phases);
  return r.status === 'fail' && !required ? { ...r, status: 'warn', detail: `${r.detail} (no workers configured: task runs would use it)` } : r;
}

async function probeWorker(project: Project, name: string, cfg: TaskConfig, phases: string[]): Promise<CheckResult> {
  const w = cfg.workers[name];
  const label = `worker ${name} (${phases.join(', ')})`;
  if (w === undefined) return { name: label, status: 'fail', detail: `no worker named ${name} in workers`, hint: 'add it to .runr/runr.config.json' };
  const adapter = workerAdapter(name, w);
  if (adapter === 'scripted') {
    try {
      loadScript(path.join(project.root, w.script ?? ''), w.script ?? '');
      return { name: label, status: 'ok', detail: `scripted worker, script ${w.script ?? ''} parses` };
    } catch (err) {
      return { name: label, status: 'fail', detail: err instanceof Error ? err.message : String(err) };
    }
  }
  const cmd = workerCommand(name, w);
  if (cmd === null || cmd.command === '') return { name: label, status: 'fail', detail: 'no command configured' };
  const resolved = resolveCommand(cmd.command, project.root);
  const exists = resolved.includes('/') ? fs.existsSync(resolved) : onPath(resolved) !== null;
  if (!exists) {
    const hint = adapter === 'claude' ? 'install Claude Code (npm i -g @anthropic-ai/claude-code)' : adapter === 'codex' ? 'install the Codex CLI (npm i -g @openai/codex)' : 'fix workers.' + name + '.command';
    return { name: label, status: 'fail', detail: `${cmd.command} not found${resolved.includes('/') ? '' : ' on PATH'}`, hint };
  }
  const o = await runProcess([resolved, '--version'], { cwd: project.root, timeoutMs: ANSWER_TIMEOUT_MS, tailBytes: 400 });
  if (o.spawnError !== null || o.timedOut || o.exitCode !== 0) {
    const why = o.spawnError ?? (o.timedOut ? `no answer within ${ANSWER_TIMEOUT_MS / 1000} s` : `exit ${o.exitCode ?? o.signal ?? '?'}`);
    return { name: label, status: 'fail', detail: `${cmd.command} --version did not answer (${why})` };
  }
  const version = o.outputTail.trim().split('\n')[0] ?? '';
  return { name: label, status: 'ok', detail: `${cmd.command} answers${version !== '' ? `: ${version.slice(0, 80)}` : ''}` };
}

export async function taskDoctorChecks(project: Project): Promise<CheckResult[]> {
  let cfg: TaskConfig;
  try {
    cfg = loadTaskConfig(project);
  } catch (err) {
    if (!(err instanceof RunrError)) throw err;
    return [{ name: 'task config', status: 'fail', detail: err.message }];
  }
  const out: CheckResult[] = [{ name: 'task config', status: 'ok', detail: 'agent, scope, verification, workers, phases, limits parse' }];
  const tasksDir = path.join(project.runrDir, 'tasks');
  const taskFiles = fs.existsSync(tasksDir) ? fs.readdirSync(tasksDir).filter((n) => n.endsWith('.md')) : [];
  const required = (project.config as Record<string, unknown>).workers !== undefined || taskFiles.length > 0;
  const names = phaseWorkers(cfg);
  const byWorker = new Map<string, string[]>();
  for (const phase of ['plan', 'implement', 'review'] as const) byWorker.set(names[phase], [...(byWorker.get(names[phase]) ?? []), phase]);
  out.push(...(await Promise.all([...byWorker].map(([name, phases]) => checkWorker(project, name, cfg, phases, required)))));
  const v = cfg.verification;
  const count = v.tier0.length + v.tier1.length + v.tier2.length;
  out.push(
    count === 0
      ? { name: 'verification', status: 'warn', detail: 'no verification commands: every milestone passes VERIFY', hint: 'set verification.tier0/tier1/tier2 (runr init detects them)' }
      : { name: 'verification', status: 'ok', detail: `${count} command${count === 1 ? '' : 's'} (tier0 ${v.tier0.length}, tier1 ${v.tier1.length}, tier2 ${v.tier2.length})` },
  );
  if (taskFiles.length > 0) {
    const files = taskFiles;
    const untitled = files.filter((f) => parseTaskText(fs.readFileSync(path.join(tasksDir, f), 'utf8')).title === '');
    out.push(
      untitled.length > 0
        ? { name: 'task files', status: 'warn', detail: `no title in ${untitled.join(', ')}`, hint: 'start a task file with "# <what to do>"' }
        : { name: 'task files', status: 'ok', detail: `${files.length} in ${path.relative(project.root, tasksDir)}/` },
    );
  }
  return out;
}
