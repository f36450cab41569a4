/**
 * The data a runr page holds (`runr view`, `report --html`, `ops --html`): embedded in the HTML
 * as JSON and read by the browser code in src/view-page/. One shape for every page; `scope` says
 * what the page was made for. Everything here is already redacted, holds no absolute path, and
 * links files by a path relative to the HTML file.
 */
import type { ManifestEntry } from '../manifest/entry.js';
import type { BatchReport } from '../studies/report-model.js';

export const VIEW_DATA_VERSION = 1;

export type ViewScopeKind = 'store' | 'run' | 'ops' | 'batch';

export interface ViewData {
  version: typeof VIEW_DATA_VERSION;
  title: string;
  generated_at: string;
  /** What the page shows: the whole store (optionally `--where`), one run (`report --html`), one ops invocation. */
  scope: { kind: ViewScopeKind; where: string | null; run_id: string | null };
  /** Runs in the manifest (before `--where`). */
  total_runs: number;
  /** The table's rows: manifest entries, so the page's filter sees exactly what `runr find` sees. */
  runs: ManifestEntry[];
  /** Detail per run id (runs of other tools indexed by the manifest have none). */
  details: Record<string, RunDetail>;
  /** Runs whose record could not be read. */
  problems: Array<{ run_id: string; message: string }>;
  /** Set by `runr view --serve`: where the page subscribes to new journal events. */
  live: { events: string } | null;
  /** Studies batches (`runr batch report`'s data, `batchReportData`): the whole store's, or the one a batch page is for. */
  batches: BatchView[];
}

/** One batch of a study: its report data, and its report.md linked by a path relative to the page (null when not written yet). */
export interface BatchView extends BatchReport {
  report_href: string | null;
}

export type RunDetail = WorkflowDetail | TaskDetail | OpsDetail;

/** What `runr audit` says about the record (artifacts re-hashed for workflow runs). */
export interface AuditSummary {
  ok: boolean;
  journal_present: boolean;
  events: number;
  chain_ok: boolean;
  chain_problems: string[];
  torn_line: number | null;
  snapshot_in_step: boolean;
  snapshot_detail: string;
  attempt_files_checked: number;
  attempt_files_mismatched: string[];
  artifacts: Record<'ok' | 'drift' | 'missing' | 'escapes', number>;
}

interface DetailBase {
  run_id: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  audit: AuditSummary | null;
}

export type ValidationOutcome = 'pass' | 'fail' | 'warn';

export interface ValidationView {
  type: string;
  outcome: ValidationOutcome;
  description: string | null;
  /** The target (path template or pattern) when the validation names one. */
  target: string | null;
  /** Why it failed or warned, in the Orchestration Runner's words (`Missing headings: …`). */
  why: string | null;
}

export interface ArtifactView {
  path: string;
  sha256: string;
  exists: boolean;
  bytes: number | null;
  /** Relative to the HTML file; null when the path does not resolve inside the repository. */
  href: string | null;
  gate?: string;
  /** `runr audit` on this artifact: ok, drift (changed since recorded), missing, escapes. */
  audit?: string;
}

export interface AttemptView {
  attempt: number;
  status: string;
  started_at: string;
  finished_at: string | null;
  agent: string;
  executor: string | null;
  prompt_sha256: string | null;
  failure_reason: string | null;
  invocation_ids: string[];
  validations: ValidationView[];
  artifacts: ArtifactView[];
  revalidations: Array<{ status: string; finished_at: string | null; failure_reason: string | null }>;
}

export interface GateView {
  gate: string;
  name: string;
  status: string;
  attempts: AttemptView[];
}

export interface InvocationView {
  invocation_id: string;
  gate: string;
  agent: string;
  model: string;
  status: string;
  started_at: string;
  duration_ms: number;
}

export interface WorkflowDetail extends DetailBase {
  kind: 'workflow';
  workflow: { name: string; version: string; slug: string; artifact_path: string };
  depth: string;
  prompt_sha256: string | null;
  gates: GateView[];
  invocations: InvocationView[];
  artifacts: ArtifactView[];
}

export const TIMELINE_PHASES = ['PLAN', 'IMPLEMENT', 'VERIFY', 'REVIEW', 'CHECKPOINT'] as const;
export type TimelinePhase = (typeof TIMELINE_PHASES)[number];

/** One bar of the task timeline: one execution of a phase. */
export interface PhaseBar {
  seq: number;
  /** `plan` or the milestone id (m1, m2, …). */
  lane: string;
  phase: TimelinePhase;
  start: string;
  end: string;
  duration_ms: number;
  /** ok; fail (verification failed, review requested changes, guard stop); stopped (cut short). */
  outcome: 'ok' | 'fail' | 'stopped';
  label: string;
}

export interface VerificationView {
  seq: number;
  milestone: string;
  at: string;
  ok: boolean;
  duration_ms: number;
  commands: Array<{ tier: string; command: string; exit_code: number | null; timed_out: boolean; duration_ms: number }>;
  failure: { tier: string; command: string; exit_code: number | null; output_tail: string } | null;
}

export interface TaskDetail extends DetailBase {
  kind: 'task';
  task: { file: string; title: string } | null;
  branch: string | null;
  worktree: string | null;
  base_commit: string | null;
  phase: string | null;
  alive: boolean;
  milestones: Array<{ id: string; goal: string; status: string; checkpoint_sha: string | null; implement_attempts: number; verify_failures: number }>;
  bars: PhaseBar[];
  verifications: VerificationView[];
  guard: Array<{ path: string; rule: string; detail: string | null; milestone: string | null; phase: string }>;
  checkpoints: Array<{ milestone: string; sha: string; at: string; reused: boolean }>;
  stop: { reason: string; detail: string | null; resumable: boolean; next_action: string; suggested_command: string | null } | null;
  phases: Record<string, { duration_ms: number; count: number }>;
}

export const OPS_CHECKS = [
  'schema_version_valid',
  'compaction_metrics_consistent',
  'total_cases_completed',
  'execution_log_hash',
  'sandbox_hashes_recorded',
  'no_tmp_remains',
] as const;

export const COMPACTION_KEYS = ['compaction_applied_count', 'compaction_rate', 'dropped_action_count', 'compaction_token_savings_est'] as const;
export type CompactionMetrics = Partial<Record<(typeof COMPACTION_KEYS)[number], number>>;

export interface OpsCandidateView {
  model_id: string;
  instance_id: string;
  scan_status: string;
  status: string;
  monitor_timeout: boolean;
  verifier_pass: boolean | null;
  /** pass null: not verified (or the check was not run). */
  checks: Array<{ name: string; pass: boolean | null; detail: string | null }>;
  compaction: CompactionMetrics | null;
}

export interface OpsDetail extends DetailBase {
  kind: 'ops';
  stage: string;
  runtime_dir: string;
  harness_run_id: string;
  report: { path: string; href: string | null; sha256: string | null; generated: boolean; kind: string | null } | null;
  counts: { candidates: number; valid: number; invalid: number; verification_failures: number };
  candidates: OpsCandidateView[];
}
