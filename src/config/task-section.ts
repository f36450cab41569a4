/** Read the task sections of `.runr/runr.config.json` (validated; errors name the field). */
import { ValidationError } from '../core/errors.js';
import type { TaskConfig } from '../core/tasks/config.js';
import { TaskConfigSchema, taskConfigProblems } from '../core/tasks/config.js';
import type { RunrConfig } from '../core/config/config-schema.js';
import { parseWithSchema } from '../store/read-json.js';
import { CONFIG_REL } from './read-config.js';

const SECTIONS = ['agent', 'scope', 'verification', 'workers', 'phases', 'limits', 'guard'] as const;

export function parseTaskConfig(raw: Record<string, unknown>, display: string): TaskConfig {
  const picked: Record<string, unknown> = {};
  for (const k of SECTIONS) if (raw[k] !== undefined) picked[k] = raw[k];
  const cfg = parseWithSchema(TaskConfigSchema, picked, display);
  const problem = taskConfigProblems(cfg)[0];
  if (problem !== undefined) throw new ValidationError(display, problem.field, problem.problem);
  return cfg;
}

export function loadTaskConfig(project: { config: RunrConfig }): TaskConfig {
  return parseTaskConfig(project.config as Record<string, unknown>, CONFIG_REL);
}
