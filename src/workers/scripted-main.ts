/**
 * The scripted worker as a process, for configs that want a real child process (tests of timeouts,
 * process groups, kill -9): `{"adapter": "command", "command": "node",
 * "args": ["<runr>/dist/workers/scripted-main.js", "<script.json>"]}`. It reads the runr worker
 * environment (RUNR_PHASE, RUNR_MILESTONE, RUNR_ATTEMPT, RUNR_WORKTREE) and prints its answer
 * between BEGIN_JSON/END_JSON, exactly as the in-process scripted worker answers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScriptedWorker, loadScript } from './scripted.js';
import type { WorkerRequest } from './types.js';

const scriptArg = process.argv[2];
if (scriptArg === undefined) {
  process.stderr.write('usage: scripted-main.js <script.json>\n');
  process.exitCode = 2;
} else {
  const phase = process.env.RUNR_PHASE;
  if (phase !== 'PLAN' && phase !== 'IMPLEMENT' && phase !== 'REVIEW') {
    process.stderr.write(`scripted-main: RUNR_PHASE must be PLAN, IMPLEMENT or REVIEW (got ${phase ?? 'nothing'})\n`);
    process.exitCode = 2;
  } else {
    const script = loadScript(path.resolve(scriptArg), scriptArg);
    const milestone = process.env.RUNR_MILESTONE ?? '';
    const prompt = fs.readFileSync(0, 'utf8');
    const req: WorkerRequest = {
      phase,
      runId: process.env.RUNR_RUN_ID ?? '',
      task: process.env.RUNR_TASK ?? '',
      milestoneIndex: process.env.RUNR_MILESTONE_INDEX ? Number(process.env.RUNR_MILESTONE_INDEX) : null,
      milestoneId: milestone === '' ? null : milestone,
      attempt: Number(process.env.RUNR_ATTEMPT ?? '1'),
      reminder: prompt.includes('Reply with JSON only'),
      prompt,
      promptFile: os.devNull,
      resultFile: os.devNull,
      cwd: process.env.RUNR_WORKTREE ?? process.cwd(),
      logFile: os.devNull,
      pidFile: os.devNull,
      timeoutMs: 24 * 3600 * 1000,
      stallMs: null,
      signal: new AbortController().signal,
      redact: (s) => s,
    };
    const o = await new ScriptedWorker('scripted', script).call(req);
    if (o.kind === 'answered') process.stdout.write(`BEGIN_JSON\n${JSON.stringify(o.value)}\nEND_JSON\n`);
    else if (o.kind === 'unparsable') process.stdout.write(o.tail);
    else process.exitCode = 1;
  }
}
