import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { keyValues, optStr, str } from '../../options.js';
import { UserError } from '../../../core/errors.js';
import { validateSlug } from '../../../core/ids.js';
import { DepthSchema } from '../../../core/schemas/run.js';
import { describePathProblem, normalizeRelPath } from '../../../core/template.js';
import type { StartInput } from '../../../workflows/create-run.js';
import { createWorkflowRun } from '../../../workflows/create-run.js';
import { storeFromOpts } from '../store-opts.js';

export function parseStartOptions(opts: Record<string, unknown>, workflowArg: string): StartInput {
  const slug = validateSlug(str(opts, 'slug', '--slug'));
  const rawArtifact = str(opts, 'artifactPath', '--artifact-path');
  const norm = normalizeRelPath(rawArtifact);
  if (!norm.ok) throw new UserError(`--artifact-path: ${describePathProblem(norm.problem)}: ${JSON.stringify(rawArtifact)}`);
  const depth = DepthSchema.safeParse(optStr(opts, 'depth') ?? 'standard');
  if (!depth.success) throw new UserError(`--depth: expected quick, standard or deep`);
  const params = keyValues(opts, 'param', '--param');
  for (const reserved of ['slug', 'artifact_path', 'run_id', 'depth']) {
    if (reserved in params) throw new UserError(`--param: ${reserved} is set by its own flag`);
  }
  return { workflowArg, slug, artifactPath: norm.path, depth: depth.data, params, tags: keyValues(opts, 'tag', '--tag'), prompt: null };
}

export async function runStart(ctx: CliContext, opts: Record<string, unknown>): Promise<void> {
  const input = parseStartOptions(opts, str(opts, 'workflow', '--workflow'));
  const store = storeFromOpts(ctx, opts);
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
