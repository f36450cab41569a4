/**
 * `runr demo`: build a throwaway git repository, run a visual-essay-like workflow end to end with
 * command executors (G2 fails, is retried, passes), show the record and audit it, then show that
 * an edited output is caught. Every step runs the real CLI, printed as the command a user types.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runrBin } from '../../self.js';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import type { DemoOptions } from './project-options.js';
import { paint } from '../../style.js';
import { StateError, UserError } from '../../../core/errors.js';
import { DEMO_CONTRACTS, DEMO_SCRIPTS, DEMO_WORKFLOW } from '../../../project/workflow-demo-files.js';
import { gitSyncText } from '../../../git/exec.js';
import { runTaskDemo } from './task-demo.js';
import { runStudiesDemo } from './studies-demo.js';


interface Step {
  args: string[];
  status: number | null;
  stdout: string;
}

function writeDemoRepo(dir: string): void {
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  put('README.md', '# runr demo\n\nA throwaway repository built by `runr demo`.\n');
  put('.runr/workflows/visual-essay.json', `${JSON.stringify(DEMO_WORKFLOW, null, 2)}\n`);
  for (const [g, c] of Object.entries(DEMO_CONTRACTS)) put(`.runr/contracts/${g}.contract.json`, `${JSON.stringify(c, null, 2)}\n`);
  for (const [rel, text] of Object.entries(DEMO_SCRIPTS)) put(rel, text);
}

export function demo(ctx: CliContext, opts: DemoOptions): Promise<void> {
  return Promise.resolve().then(() => runDemo(ctx, opts));
}

function runDemo(ctx: CliContext, opts: DemoOptions): void {
  const BIN = runrBin();
  const p = paint(ctx.color);
  const dirOpt = opts.dir;
  let dir: string;
  if (dirOpt !== undefined) {
    dir = path.resolve(ctx.cwd, dirOpt);
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new UserError(`--dir: ${dirOpt} exists and is not empty`);
    fs.mkdirSync(dir, { recursive: true });
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-demo-'));
  }
  if (opts.studies) {
    const studies = runStudiesDemo(ctx, BIN, dir);
    emit(ctx, { studies }, () => []);
    if (!studies.ok) throw new StateError('demo --studies: unexpected outcome (see above)');
    return;
  }
  const say = (line: string) => (ctx.json ? undefined : ctx.out(line));
  const steps: Step[] = [];
  const runr = (args: string[], note: string): Step => {
    say('');
    say(p.dim(`# ${note}`));
    say(p.bold(`$ runr ${args.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`));
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...(ctx.color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }) } });
    if (!ctx.json) {
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
    }
    const step = { args, status: r.status, stdout: r.stdout };
    steps.push(step);
    return step;
  };
  const mustGit = (args: string[]) => {
    const r = gitSyncText(args, { cwd: dir });
    if (!r.ok) throw new StateError(`demo: git ${args.join(' ')} failed: ${r.stderr.trim()}`);
  };

  say(p.bold('runr demo — durable, verifiable runs'));
  say(`Building a throwaway git repository in ${dir}`);
  mustGit(['init', '-q', '-b', 'main']);
  mustGit(['config', 'user.email', 'demo@runr.local']);
  mustGit(['config', 'user.name', 'runr demo']);
  writeDemoRepo(dir);
  runr(['init'], 'create .runr/ and the .gitignore rules (records tracked, logs ignored)');
  mustGit(['add', '-A']);
  mustGit(['commit', '-q', '-m', 'demo: workflow, contracts, scripts']);

  const ci = runr(['run', 'visual-essay', '--slug', 'the-word-robot', '--artifact-path', 'essays/the-word-robot'], 'run every gate: each runs a script, then its contract is validated (G2 fails once and is retried)');
  const listed = spawnSync(process.execPath, [BIN, 'run', 'list', '--json'], { cwd: dir, encoding: 'utf8' });
  let runId = '';
  let status = 'UNKNOWN';
  try {
    const parsed = JSON.parse(listed.stdout) as { runs?: Array<{ run_id?: unknown; status?: unknown }> };
    const first = parsed.runs?.[0];
    runId = typeof first?.run_id === 'string' ? first.run_id : '';
    status = typeof first?.status === 'string' ? first.status : status;
  } catch {
    throw new StateError(`demo: the workflow run left no record (exit ${ci.status})`);
  }
  runr(['run', 'show', '--run', runId], 'the record: gates, attempts, validations, hashes');
  const audit1 = runr(['audit', runId], 'prove it: journal hash chain, snapshot, attempt files, artifacts re-hashed');
  fs.appendFileSync(path.join(dir, 'essays/the-word-robot/research/QUOTES.md'), '> an unrecorded edit\n');
  const audit2 = runr(['audit', runId], 'someone edits an output after the gate passed — audit notices (exit 1)');
  mustGit(['add', '-A']);
  mustGit(['commit', '-q', '-m', `record ${runId}`]);
  const tracked = gitSyncText(['ls-files', '.runr/runs'], { cwd: dir }).stdout.split('\n').filter((s) => s !== '');
  say('');
  say(p.dim('# what git tracks: the small record, not the logs'));
  for (const f of tracked) say(`  ${f}`);

  say('');
  say(`Done. Explore: cd ${dir} && npx runr run list`);
  // The other family: agent task runs, in a demo repository of their own next to this one.
  say('');
  const tasks = runTaskDemo(ctx, `${dir}-tasks`, BIN);
  // The fifth family: a study with seed batches, a sweep and a report, in a third repository.
  say('');
  const studies = runStudiesDemo(ctx, BIN, `${dir}-studies`);
  emit(ctx, { dir, run_id: runId, status, audit_ok: audit1.status === 0, tamper_detected: audit2.status === 1, tracked_files: tracked, steps: steps.map((s) => ({ args: s.args, exit_code: s.status })), tasks, studies }, () => []);
  if (status !== 'PASSED' || audit1.status !== 0 || audit2.status !== 1 || !tasks.ok || !studies.ok) throw new StateError('demo: unexpected outcome (see above)');
}
