/** The options of `runr run start|list|show|complete` and CI mode `runr run <workflow>`, declared once. */
import { choice, flag, numWithDefault, pairs, requiredText, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';
import { depthOption, runOption } from '../common-options.js';
import { LIST_FILTERS } from '../list-filters.js';

const startCommon = () => ({
  slug: requiredText('--slug <slug>', 'essay or project slug'),
  artifactPath: requiredText('--artifact-path <path>', 'repository-relative artifact directory'),
  depth: depthOption(),
  param: pairs('--param <key=value...>', 'extra run parameters (recorded, usable as {key} in templates)'),
  tag: pairs('--tag <key=value...>', 'tags for the manifest'),
});

export const RUN_START = {
  workflow: requiredText('--workflow <name|path>', 'workflow name (in .runr/workflows) or file path (.json, .yaml)'),
  ...startCommon(),
};
export type RunStartOptions = ParsedOptions<typeof RUN_START>;

export const RUN_CI = {
  ...startCommon(),
  promptFile: text('--prompt-file <path>', 'topic/prompt file, relative to the repository root'),
  timeout: numWithDefault('--timeout <seconds>', 'how long a manual gate waits for its outputs without a TTY', 3600, { min: 0 }),
};
export type RunCiOptions = ParsedOptions<typeof RUN_CI>;
export type StartCommonOptions = Omit<RunCiOptions, 'promptFile' | 'timeout'>;

export const RUN_LIST = { ...LIST_FILTERS };
export type RunListOptions = ParsedOptions<typeof RUN_LIST>;

export const RUN_SHOW = { run: runOption() };
export type RunShowOptions = ParsedOptions<typeof RUN_SHOW>;

export const FINAL_STATUSES = ['PASSED', 'FAILED', 'CANCELED'] as const;
export const RUN_COMPLETE = {
  run: runOption(),
  status: choice('--status <status>', 'final status (default: derived from gates)', FINAL_STATUSES),
  force: flag('--force', 'mark PASSED even over a failed blocking gate (recorded as an override)'),
};
export type RunCompleteOptions = ParsedOptions<typeof RUN_COMPLETE>;
