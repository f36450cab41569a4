import type { CliContext } from '../../cli/context.js';
import { emit } from '../../cli/context.js';
import { keyValues, optStr, str } from '../../cli/options.js';
import fs from 'node:fs';
import path from 'node:path';
import { UserError, ValidationError } from '../../core/errors.js';
import { validateSlug } from '../../core/ids.js';
import type { RunRecord } from '../../core/schemas/run.js';
import { DepthSchema } from '../../core/schemas/run.js';
import { describePathProblem, normalizeRelPath } from '../../core/template.js';
import { loadContract } from '../../gates/contract-loader.js';
import type { RunStore } from '../../store/run-store.js';
import type { LoadedWorkflow } from '../workflow-file.js';
import { loadWorkflow } from '../workflow-file.js';
import { storeFromOpts } from './shared.js';

export interface StartInput {
  workflowArg: string;
  slug: string;
  artifactPath: string;
  depth: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  prompt: { file: string | null; sha256: string } | null;
}

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

/** Validate everything (workflow, every contract) before creating anything, then create the run. */
export async function createWorkflowRun(store: RunStore, cwd: string, input: StartInput): Promise<{ run: RunRecord; wf: LoadedWorkflow }> {
  const wf = await loadWorkflow(store.project, cwd, input.workflowArg);
  wf.workflow.gates.forEach((g, i) => {
    if (g.contract !== undefined && !fs.existsSync(path.join(store.project.root, g.contract))) {
      throw new ValidationError(wf.file, `gates[${i}].contract`, `not found: ${g.contract}`);
    }
    loadContract(store.project, g.gate, g.contract);
  });
  const run = await store.create({
    kind: 'workflow',
    workflow: { name: wf.workflow.workflow, version: wf.workflow.version ?? 'local-dev', slug: input.slug, artifact_path: input.artifactPath, file: wf.file, sha256: wf.sha256 },
    depth: input.depth,
    prompt: input.prompt,
    params: { slug: input.slug, depth: input.depth, ...input.params },
    ...(Object.keys(input.tags).length > 0 ? { tags: input.tags } : {}),
    gates: wf.workflow.gates.map((g) => ({
      gate: g.gate,
      name: g.name,
      ...(g.contract !== undefined ? { contract: g.contract } : {}),
      ...(g.agent !== undefined ? { agent: g.agent } : {}),
      executor: g.executor ?? 'manual',
    })),
  });
  return { run, wf };
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
