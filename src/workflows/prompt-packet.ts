/**
 * The prompt packet for a gate (written to `logs/gates/<G>/prompt.txt`, its sha256 recorded in the
 * attempt): header, the original prompt, the gate's instructions, the required outputs (with
 * "(optional)"), how to execute, and a validation summary — the original's sections.
 */
import { isRequired } from '../core/gates/failure-reason.js';
import type { Contract } from '../core/schemas/contract.js';
import type { WorkflowGate } from '../core/schemas/workflow.js';
import type { RunRecord } from '../core/schemas/run.js';

export function defaultPrompt(slug: string): string {
  return `Topic: ${slug}\n\nProduce a visual essay about "${slug.replace(/-/g, ' ')}".`;
}

function describeValidation(v: NonNullable<Contract['validations']>[number], depth: string): string {
  switch (v.type) {
    case 'file_exists':
      return `- file_exists (${v.target ?? 'all_required'})`;
    case 'min_sources':
      return `- min_sources: ${v.target} needs at least ${v.thresholds?.[depth] || 8} sources (depth: ${depth})`;
    case 'contains_headings':
      return `- contains_headings: ${v.target} must contain ${v.required_headings.join(', ')}`;
    case 'not_contains':
      return `- not_contains: ${v.target} must not contain ${JSON.stringify(v.pattern)}${v.severity === 'warning' ? ' (warning)' : ''}`;
    case 'command':
      return `- command: ${v.argv.join(' ')} must exit 0`;
    default:
      return `- ${v.type}: ${'target' in v && v.target !== undefined ? v.target : ''}${v.description ? ` — ${v.description}` : ''}`;
  }
}

export function buildPromptPacket(run: RunRecord, gate: WorkflowGate, contract: Contract, originalPrompt: string, instructions: string | null): string {
  const outputs = [
    ...(contract.required_outputs?.any_of ?? []).map((o) => `- ${o.path} (any of)${o.description ? ` — ${o.description}` : ''}`),
    ...(contract.required_outputs?.all_of ?? []).map((o) => `- ${o.path}${isRequired(o, run.depth) ? '' : ' (optional)'}${o.description ? ` — ${o.description}` : ''}`),
  ];
  const lines = [
    `# Prompt Packet — ${gate.gate}: ${gate.name}`,
    '',
    `Run: ${run.run_id}`,
    `Workflow: ${run.workflow.name} (${run.workflow.version})`,
    `Slug: ${run.workflow.slug}`,
    `Artifact path: ${run.workflow.artifact_path}`,
    `Depth: ${run.depth}`,
    `Agent: ${gate.agent ?? 'unknown'}`,
    '',
    '## Original prompt',
    '',
    originalPrompt.trimEnd(),
    '',
    '## Gate instructions',
    '',
    instructions?.trimEnd() ?? gate.description ?? contract.description ?? `Complete gate ${gate.gate}.`,
    '',
    '## Required outputs',
    '',
    ...(outputs.length > 0 ? outputs : ['- (none)']),
    '',
    '## How to execute',
    '',
    gate.executor === 'command'
      ? `runr runs: ${(gate.command ?? []).join(' ')}`
      : `Run ${gate.agent ?? 'your agent'} with this packet, write the outputs above, then press Enter (or run: runr gate finish --run ${run.run_id} --gate ${gate.gate}).`,
    '',
    '## Validation summary',
    '',
    ...(contract.validations ?? []).map((v) => describeValidation(v, run.depth)),
    '',
  ];
  return lines.join('\n');
}
