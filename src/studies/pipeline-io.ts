/**
 * Load a stage pipeline (`<study>/pipeline.yaml` or `--pipeline <file>`): YAML → schema → static
 * checks (templates, params, stage graph) → each check converted to a gate validation
 * (`severity: fail|warn` → `error|warning`). Problems name the file and the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, ValidationError } from '../core/errors.js';
import type { ValidationSpec } from '../core/schemas/contract.js';
import { ValidationSpecSchema } from '../core/schemas/contract.js';
import type { StageGraph } from '../core/studies/dag.js';
import type { CheckSeverity, Pipeline } from '../core/studies/pipeline.js';
import { PipelineSchema } from '../core/studies/pipeline.js';
import { checkPipeline } from '../core/studies/pipeline-check.js';
import { formatZodIssue } from '../core/zod-format.js';
import { parseWithSchema } from '../store/read-json.js';
import { sha256Text } from '../store/hash.js';
import type { StudyLayout } from './layout.js';
import { parseYamlText, readStrictText } from './text.js';

export interface StageCheck {
  spec: ValidationSpec;
  severity: CheckSeverity;
}

export interface LoadedPipeline {
  pipeline: Pipeline;
  graph: StageGraph;
  checks: Record<string, StageCheck[]>;
  /** Repository-relative. */
  file: string;
  sha256: string;
}

export async function loadPipeline(layout: StudyLayout, cwd: string, fileOpt?: string): Promise<LoadedPipeline> {
  const abs = fileOpt !== undefined ? path.resolve(cwd, fileOpt) : layout.pipelineFile;
  const display = layout.display(abs);
  if (!fs.existsSync(abs)) {
    throw new UserError(fileOpt !== undefined ? `--pipeline: ${fileOpt}: file not found` : `${display}: no pipeline (runr study init ${layout.study} writes one; or give --pipeline <file>)`);
  }
  const text = readStrictText(abs, display);
  const pipeline = parseWithSchema(PipelineSchema, await parseYamlText(text, display), display);
  const c = checkPipeline(pipeline);
  if (!c.ok) throw new ValidationError(display, c.error.field, c.error.problem);
  const checks: Record<string, StageCheck[]> = {};
  for (const [name, st] of Object.entries(pipeline.stages)) {
    if (st.seed && typeof st.cmd === 'string') throw new ValidationError(display, `stages.${name}.seed`, 'seed: true needs cmd as an argv array (a shell string runs as written; use "$RUNR_SEED" in it instead)');
    checks[name] = st.checks.map((raw, i) => {
      const { severity, ...rest } = raw;
      const sev: CheckSeverity = severity ?? 'fail';
      const r = ValidationSpecSchema.safeParse({ ...rest, severity: sev === 'warn' ? 'warning' : 'error' });
      if (!r.success) {
        const issue = r.error.issues[0];
        const f = issue !== undefined ? formatZodIssue(issue, rest) : { field: '', problem: 'invalid' };
        throw new ValidationError(display, `stages.${name}.checks[${i}]${f.field !== '' ? `.${f.field}` : ''}`, f.problem);
      }
      return { spec: r.data, severity: sev };
    });
  }
  return { pipeline, graph: c.graph, checks, file: layout.display(abs), sha256: sha256Text(text) };
}
