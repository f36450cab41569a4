/** The options of `runr study init` and `runr batch new|run|report|promote`, declared once. */
import { flag, negatable, numWithDefault, repeatable, requiredText, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';

const studiesDir = () => text('--studies-dir <dir>', 'where studies live, relative to the repository root (default: config studies_dir, else "runs")');
const pipeline = (what: string) => text('--pipeline <file>', what);
const PIPELINE_DEFAULT = 'the pipeline file (default: runs/<study>/pipeline.yaml)';

export const STUDY_INIT = {
  studiesDir: studiesDir(),
  pipeline: negatable('--no-pipeline', 'do not write the starter pipeline.yaml'),
};
export type StudyInitOptions = ParsedOptions<typeof STUDY_INIT>;

export const BATCH_NEW = {
  studiesDir: studiesDir(),
  intent: requiredText('--intent <intent>', 'kebab-case intent, part of the batch id (baseline, threshold-sweep, ...)'),
  scenarioRev: requiredText('--scenario-rev <scn-vNN>', 'scenario revision'),
  configRev: requiredText('--config-rev <cfg-vNN>', 'config revision'),
  objective: requiredText('--objective <text>', 'what the batch is for'),
  base: repeatable('--base <key=path>', 'a base spec path (default: the study specs of these revisions)'),
  sweep: repeatable('--sweep <axis=v1,v2>', 'an axis and its values'),
  seeds: text('--seeds <list>', 'seeds, comma-separated (default 42): every variant is repeated per seed'),
  factorial: flag('--factorial', 'the full product of the axes instead of a one-axis sweep'),
  pipeline: pipeline('check the sweep axes against this pipeline (default: the study pipeline.yaml)'),
};
export type BatchNewOptions = ParsedOptions<typeof BATCH_NEW>;

export const BATCH_RUN = {
  studiesDir: studiesDir(),
  variant: repeatable('--variant <id>', 'only this variant'),
  jobs: numWithDefault('--jobs <n>', 'variants run in parallel', 1, { integer: true, min: 1 }),
  dryRun: flag('--dry-run', 'decide only: which stages would run, and why; run nothing, write nothing'),
  why: flag('--why', 'list every reason each stage runs (or is skipped)'),
  note: text('--note <text>', 'a note for the registry rows (the run summary follows it)'),
  pipeline: pipeline(PIPELINE_DEFAULT),
};
export type BatchRunOptions = ParsedOptions<typeof BATCH_RUN>;

export const BATCH_REPORT = {
  studiesDir: studiesDir(),
  baseline: text('--baseline <batch_id|latest>', 'compare with this batch (latest: registry/latest.txt), paired by seed'),
  force: flag('--force', 'compare even when not comparable, and record it as not comparable'),
  pipeline: pipeline(PIPELINE_DEFAULT),
  html: text('--html <file>', 'also write the batch as one HTML page (gate matrix, metrics with 95% intervals, paired comparison; docs/view.md)'),
};
export type BatchReportOptions = ParsedOptions<typeof BATCH_REPORT>;

export const BATCH_PROMOTE = {
  studiesDir: studiesDir(),
  pipeline: pipeline(PIPELINE_DEFAULT),
};
export type BatchPromoteOptions = ParsedOptions<typeof BATCH_PROMOTE>;
