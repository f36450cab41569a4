/**
 * One attempt of a queued workflow run, in the worker's clone: the run is created with the id the
 * submit chose and its gates are run in CI mode, exactly as `runr run <workflow>` does on one
 * machine. A workflow run has no worktree and no checkpoints: an attempt that takes over starts
 * the run again in a clean clone (the earlier attempt's record never left its machine).
 */
import type { WorkflowJobSpec } from '../core/queue/payload.js';
import { openProject } from '../store/project.js';
import { storeFor } from '../store/open-store.js';
import { runWorkflowGates } from '../workflows/ci-run.js';
import { createWorkflowRun, saveOriginalPrompt } from '../workflows/create-run.js';
import { defaultPrompt } from '../workflows/prompt-packet.js';

export interface WorkflowAttemptResult {
  run_dir: string;
  /** `complete` when every blocking gate passed; else why it stopped. */
  reason: 'complete' | 'gate_failed' | 'interrupted';
  detail: string | null;
}

export async function execWorkflowRun(o: { cwd: string; runId: string; spec: WorkflowJobSpec; signal: AbortSignal; say: (line: string) => void; onStarted: (s: { run_dir: string }) => void }): Promise<WorkflowAttemptResult> {
  const store = storeFor(openProject(o.cwd));
  const { spec } = o;
  const { run, wf } = await createWorkflowRun(store, o.cwd, { workflowArg: spec.arg, slug: spec.slug, artifactPath: spec.artifact_path, depth: spec.depth, params: spec.params, tags: spec.tags, prompt: null, runId: o.runId });
  const runDir = store.runDir(run.run_id);
  o.onStarted({ run_dir: runDir });
  const originalPrompt = defaultPrompt(spec.slug);
  saveOriginalPrompt(store, run.run_id, originalPrompt);
  const r = await runWorkflowGates(store, run, wf, { signal: o.signal, say: o.say, isTTY: false, waitTimeoutMs: spec.timeout_s * 1000, originalPrompt });
  if (r.outcome === 'passed') return { run_dir: runDir, reason: 'complete', detail: null };
  const gate = r.gates.find((g) => g.gate === r.failed_gate);
  return { run_dir: runDir, reason: r.outcome === 'failed' ? 'gate_failed' : 'interrupted', detail: `gate ${r.failed_gate ?? '?'}: ${gate?.failure_reason ?? r.outcome}` };
}
