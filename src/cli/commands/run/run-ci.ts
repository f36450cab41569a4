import path from 'node:path';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { ExitCode, OutcomeError, UserError } from '../../../core/errors.js';
import { describePathProblem, normalizeRelPath } from '../../../core/template.js';
import { sha256Text } from '../../../store/hash.js';
import { readTextFile } from '../../../store/read-json.js';
import { runWorkflowGates } from '../../../workflows/ci-run.js';
import { defaultPrompt } from '../../../workflows/prompt-packet.js';
import { createWorkflowRun, saveOriginalPrompt } from '../../../workflows/create-run.js';
import { parseStartOptions } from './run-start.js';
import { storeFor } from '../store-opts.js';
import type { RunCiOptions } from './run-options.js';

export async function runWorkflowCi(ctx: CliContext, workflowArg: string, opts: RunCiOptions): Promise<void> {
  const input = parseStartOptions(opts, workflowArg);
  const timeoutS = opts.timeout;
  const store = storeFor(ctx);
  let originalPrompt = defaultPrompt(input.slug);
  const promptArg = opts.promptFile;
  if (promptArg !== undefined) {
    const norm = normalizeRelPath(promptArg);
    if (!norm.ok) throw new UserError(`--prompt-file: ${describePathProblem(norm.problem)}: ${JSON.stringify(promptArg)}`);
    originalPrompt = readTextFile(path.join(store.project.root, norm.path), `--prompt-file: ${norm.path}`);
    input.prompt = { file: norm.path, sha256: sha256Text(originalPrompt) };
  }
  const { run, wf } = await createWorkflowRun(store, ctx.cwd, input);
  saveOriginalPrompt(store, run.run_id, originalPrompt);
  const say = ctx.json ? ctx.err : ctx.out;
  say(`Run ${run.run_id} (${wf.workflow.workflow}, ${wf.workflow.gates.length} gates)`);
  const result = await runWorkflowGates(store, run, wf, {
    signal: ctx.signal,
    say,
    isTTY: process.stdin.isTTY === true && !ctx.json,
    waitTimeoutMs: timeoutS * 1000,
    originalPrompt,
  });
  const runDir = store.display(store.runDir(run.run_id));
  emit(
    ctx,
    { run_id: run.run_id, run_dir: runDir, status: result.run.status, outcome: result.outcome, failed_gate: result.failed_gate, gates: result.gates },
    () => [
      '',
      `${result.outcome === 'passed' ? 'PASSED' : result.outcome === 'failed' ? `FAILED at ${result.failed_gate ?? '?'}` : 'INTERRUPTED'}: ${run.run_id}`,
      `  record: ${runDir}/record/RUN.json`,
      `  see: runr run show --run ${run.run_id}`,
    ],
  );
  if (result.outcome === 'interrupted') throw new OutcomeError('', ExitCode.interrupted);
  if (result.outcome === 'failed') throw new OutcomeError('', ExitCode.failed);
}
