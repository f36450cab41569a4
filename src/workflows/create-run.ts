/** Create a workflow run: validate the workflow and every contract first, then create the record. */
import fs from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../core/errors.js';
import type { RunRecord } from '../core/schemas/run.js';
import { loadContract } from '../gates/contract-loader.js';
import { pathPresent } from '../store/strict-read.js';
import type { RunStore } from '../store/run-store.js';
import type { LoadedWorkflow } from './workflow-file.js';
import { loadWorkflow } from './workflow-file.js';

export interface StartInput {
  workflowArg: string;
  slug: string;
  artifactPath: string;
  depth: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  prompt: { file: string | null; sha256: string } | null;
  /** An id made earlier (`runr submit --workflow`); default a fresh one. */
  runId?: string;
}

/** Validate everything (workflow, every contract) before creating anything, then create the run. */
export async function createWorkflowRun(store: RunStore, cwd: string, input: StartInput): Promise<{ run: RunRecord; wf: LoadedWorkflow }> {
  const wf = await loadWorkflow(store.project, cwd, input.workflowArg);
  wf.workflow.gates.forEach((g, i) => {
    // pathPresent, not existsSync: a symlink loop or a FIFO is reported by the contract's read.
    if (g.contract !== undefined && !pathPresent(path.join(store.project.root, g.contract))) {
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
  }, input.runId !== undefined ? { runId: input.runId } : {});
  return { run, wf };
}

/** CI mode keeps the prompt it started from (redacted) beside the run's logs. */
export function saveOriginalPrompt(store: RunStore, runId: string, text: string): void {
  const promptsDir = path.join(store.logsDir(runId), 'prompts');
  fs.mkdirSync(promptsDir, { recursive: true });
  fs.writeFileSync(path.join(promptsDir, 'original.txt'), store.redactText(text));
}
