/** The options of `runr ops` and its stages, declared once; values are checked by src/ops/flags.ts. */
import { flag, negatable, text } from '../../option-spec.js';
import type { OptSpecs, ParsedOptions } from '../../option-spec.js';

import type { OpsStage } from '../../../core/events/ops.js';

const common = {
  runtimeDir: text('--runtime-dir <dir>', 'the harness runtime dir (default: config ops.runtime_dir, else "runtime")'),
  preset: text('--preset <name>', 'a preset: phase4b, or one from .runr/runr.config.json ops.presets'),
  runId: text('--run-id <glob>', 'run id (a glob, as in the harness; default autonomous_exec_v0_1_llm)'),
  seed: text('--seed <n>', 'only runs whose instance id ends in _seed<n>'),
  models: text('--models <a,b>', 'only runs with exactly these model_ids (comma-separated)'),
};
const verifying = {
  strictTmp: flag('--strict-tmp', "no_tmp_remains: any *.tmp under the runtime dir fails every run (the harness's check)"),
  verifier: text('--verifier <argv>', 'also run this external verifier per run (argv, no shell; see docs/ops.md)'),
  verifierTimeout: text('--verifier-timeout <s>', 'timeout of the external verifier per run (default 300)'),
};
const tail = {
  exitZero: flag('--exit-zero', "always exit 0 when the command ran (the harness's behaviour)"),
  record: negatable('--no-record', 'do not record this invocation as a run in the store'),
  html: text('--html <file>', 'also write this invocation as one HTML page (lifecycle, every check, compaction charts; docs/view.md)'),
};
const reporting = {
  minValid: text('--min-valid <n>', 'valid runs needed for a report (default 1, phase4b 2)'),
  report: text('--report <generator>', 'report generator: compaction-signal | summary'),
  recommend: flag('--recommend', "print the phase-4B wrapper's recommendation (runr ops --preset phase4b --recommend)"),
};
const monitoring = {
  poll: text('--poll <s>', 'poll interval while monitoring, seconds (default 15; file events wake it sooner)'),
  timeout: text('--timeout <s>', 'how long to wait for unfinished runs (all at once), seconds (default 600)'),
  staleAfter: text('--stale-after <s>', 'a temp envelope unchanged this long is abandoned: judged at once, not valid (default 300)'),
};

/** Every ops option; a stage registers the subset that applies to it (the others stay undefined). */
export const OPS_ALL = { ...common, ...verifying, ...tail, ...reporting, ...monitoring };
export type OpsOptions = ParsedOptions<typeof OPS_ALL>;

export function opsSpecs(stage: OpsStage): OptSpecs {
  return {
    ...common,
    ...(stage !== 'scan' ? verifying : {}),
    ...tail,
    ...(stage === 'lifecycle' || stage === 'report' ? reporting : {}),
    ...(stage === 'lifecycle' || stage === 'monitor' ? monitoring : {}),
  };
}
