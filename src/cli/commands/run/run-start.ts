import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { UserError } from '../../../core/errors.js';
import { validateSlug } from '../../../core/ids.js';
import { describePathProblem, normalizeRelPath } from '../../../core/template.js';
import type { StartInput } from '../../../workflows/create-run.js';
import { createWorkflowRun } from '../../../workflows/create-run.js';
import { storeFor } from '../store-opts.js';
import type { RunStartOptions, StartCommonOptions } from './run-options.js';

export function parseStartOptions(opts: StartCommonOptions, workflowArg: string): StartInput {
  const slug = validateSlug(opts.slug);
  const rawArtifact = opts.artifactPath;
  const norm = normalizeRelPath(rawArtifact);
  if (!norm.ok) throw new UserError(`--artifact-path: ${describePathProblem(norm.problem)}: ${JSON.stringify(rawArtifact)}`);
  const params = opts.param;
  for (const reserved of ['slug', 'artifact_path', 'run_id', 'depth']) {
    if (reserved in params) throw new UserError(`--param: ${reserved} is set by its own flag`);
  }
  return { workflowArg, slug, artifactPath: norm.path, depth: opts.depth, params, tags: opts.tag, prompt: null };
}

export async function runStart(ctx: CliContext, opts: RunStartOptions): Promise<void> {
  const input = parseStartOptions(opts, opts.workflow);
  const store = storeFor(ctx);
  const { run } = await createWorkflowRun(store, ctx.cwd, input);
  const runDir = store.display(store.runDir(run.run_id));
  emit(
    ctx,
    {
      run_id: run.run_id,
      run_dir: runDir,
      record: `${runDir}/record/RUN.json`,
      workflow: run.workflow.name,
      slug: run.workflow.slug,
      artifact_path: run.workflow.artifact_path,
      depth: run.depth,
      status: run.status,
      gates: run.gates.map((g) => g.gate),
    },
    () => [
      `Run started: ${run.run_id}`,
      `  record: ${runDir}/record/RUN.json`,
      `  logs:   ${runDir}/logs/`,
      `  gates:  ${run.gates.map((g) => g.gate).join(', ')}`,
      `next: runr gate start --run ${run.run_id} --gate ${run.gates[0]?.gate ?? '<G>'} --agent <agent>`,
    ],
  );
}
