/** Find and load a workflow by name or path. Contract paths in it resolve from the repository root. */
import path from 'node:path';
import { UserError, ValidationError } from '../core/errors.js';
import type { Workflow } from '../core/schemas/workflow.js';
import { WorkflowSchema } from '../core/schemas/workflow.js';
import { describePathProblem, templateIsUnsafe } from '../core/template.js';
import { sha256FileSync } from '../store/hash.js';
import type { Project } from '../store/project.js';
import { relToRoot } from '../store/project.js';
import { readYamlOrJsonFile } from '../store/read-json.js';
import { pathPresent } from '../store/strict-read.js';

export interface LoadedWorkflow {
  workflow: Workflow;
  /** Repository-relative path of the file. */
  file: string;
  sha256: string;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const EXTS = ['.json', '.yaml', '.yml'];

export function workflowCandidates(project: Project, name: string): string[] {
  const dirs = [project.workflowsDir, path.join(project.root, 'orchestration', 'runner', 'workflows'), path.join(project.root, 'orchestration', 'workflows')];
  return dirs.flatMap((d) => EXTS.map((e) => path.join(d, `${name}${e}`)));
}

export function looksLikePath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || EXTS.some((e) => arg.endsWith(e));
}

export async function loadWorkflow(project: Project, cwd: string, arg: string): Promise<LoadedWorkflow> {
  let file: string;
  if (looksLikePath(arg)) {
    file = path.resolve(cwd, arg);
    const rel = path.relative(project.root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UserError(`--workflow: ${arg} is outside the repository`);
    if (!pathPresent(file)) throw new UserError(`--workflow: file not found: ${arg}`, 'workflow_not_found');
  } else {
    if (!NAME_RE.test(arg)) throw new UserError(`--workflow: invalid workflow name ${JSON.stringify(arg)}`);
    const found = workflowCandidates(project, arg).find((f) => pathPresent(f));
    if (found === undefined) {
      throw new UserError(`--workflow: workflow not found: ${arg} (looked for ${relToRoot(project, path.join(project.workflowsDir, arg))}.{json,yaml,yml})`, 'workflow_not_found');
    }
    file = found;
  }
  const display = relToRoot(project, file);
  const workflow = await readYamlOrJsonFile(file, WorkflowSchema, display);
  workflow.gates.forEach((g, i) => {
    if (g.contract !== undefined) {
      const p = templateIsUnsafe(g.contract);
      if (p !== null) throw new ValidationError(display, `gates[${i}].contract`, describePathProblem(p, g.contract));
    }
  });
  return { workflow, file: display, sha256: sha256FileSync(file) };
}
