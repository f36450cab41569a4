/**
 * Load and check a gate contract. Besides the schema, every path template must be relative and
 * free of `..` — checked here, at load time, so a bad contract is an input error naming the file
 * and the field (exit 2), never a read outside the repository.
 */
import path from 'node:path';
import { UserError, ValidationError } from '../core/errors.js';
import type { Contract } from '../core/schemas/contract.js';
import { ContractSchema } from '../core/schemas/contract.js';
import { describePathProblem, templateIsUnsafe } from '../core/template.js';
import type { Project } from '../store/project.js';
import { relToRoot } from '../store/project.js';
import { readJsonFile } from '../store/read-json.js';
import { pathPresent } from '../store/strict-read.js';

function checkRegex(pattern: string, flags: string | undefined, display: string, field: string): void {
  try {
    new RegExp(pattern, flags ?? '');
  } catch (err) {
    throw new ValidationError(display, field, `invalid regular expression (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Checks beyond the schema: safe path templates and compilable regular expressions. */
export function checkContractPaths(contract: Contract, display: string): void {
  const check = (tpl: string, field: string) => {
    const p = templateIsUnsafe(tpl);
    if (p !== null) throw new ValidationError(display, field, `${describePathProblem(p, tpl)}: ${JSON.stringify(tpl)}`);
  };
  for (const key of ['any_of', 'all_of'] as const) {
    (contract.required_outputs?.[key] ?? []).forEach((o, i) => check(o.path, `required_outputs.${key}[${i}].path`));
  }
  (contract.validations ?? []).forEach((v, i) => {
    if (v.type === 'command') {
      if (v.cwd !== undefined) check(v.cwd, `validations[${i}].cwd`);
      return;
    }
    if (v.type !== 'file_exists' && v.target !== undefined) check(v.target, `validations[${i}].target`);
    if (v.type === 'json_schema' && v.schema_path !== undefined) check(v.schema_path, `validations[${i}].schema_path`);
    if (v.type === 'regex_match' || v.type === 'min_regex_count') checkRegex(v.pattern, v.flags, display, `validations[${i}].pattern`);
  });
}

/** Where a gate without a contract path in its workflow finds one: the contracts directory,
 * then the Orchestration Runner's `orchestration/gates/contracts/`. */
export function contractCandidates(project: Project, gate: string): string[] {
  const c: string[] = [];
  c.push(path.join(project.contractsDir, `${gate}.contract.json`));
  c.push(path.join(project.root, 'orchestration', 'gates', 'contracts', `${gate}.contract.json`));
  return c;
}

export function loadContract(project: Project, gate: string, workflowPath?: string): { contract: Contract; file: string } {
  if (workflowPath !== undefined) {
    const p = templateIsUnsafe(workflowPath);
    if (p !== null) throw new UserError(`contract path for gate ${gate}: ${describePathProblem(p)}: ${JSON.stringify(workflowPath)}`);
  }
  // A contract path named by the workflow must exist; the fallback search is for gates without one.
  const candidates = workflowPath !== undefined ? [path.join(project.root, workflowPath)] : contractCandidates(project, gate);
  const file = candidates.find((f) => pathPresent(f));
  if (file === undefined) {
    throw new UserError(`Contract not found: ${relToRoot(project, candidates[0] ?? gate)}`, 'contract_not_found');
  }
  const display = relToRoot(project, file);
  const contract = readJsonFile(file, ContractSchema, display);
  checkContractPaths(contract, display);
  return { contract, file: display };
}
