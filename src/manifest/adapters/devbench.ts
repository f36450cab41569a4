/**
 * Index genai-devbench runs: `<dir>/<framework>/<run_id>/{metadata.json,metrics.json}`.
 *
 * The original rebuild read times from metadata.json and tokens and status from the top level of
 * metrics.json, where real files have none of them, so every real run came back with null times,
 * 0 tokens and "pending". Real files keep times as `start_timestamp`/`end_timestamp` (epoch
 * seconds, or ISO strings in some versions), tokens under `aggregate_metrics.TOK_IN/TOK_OUT` and
 * the status under `usage_api_reconciliation.verification_status`; this adapter reads those, with
 * the top-level names as a fallback.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { RunrError, ValidationError } from '../../core/errors.js';
import type { ManifestEntry } from '../../core/manifest/entry.js';
import { normalizeTime } from '../../core/manifest/entry.js';
import { readJsonFile } from '../../store/read-json.js';
import type { ScanProblem } from './layouts.js';

const Time = z.union([z.string(), z.number()]).nullable().optional();
const Count = z.number().nonnegative().nullable().optional();

const MetadataSchema = z.looseObject({
  run_id: z.string().nullable().optional(),
  framework: z.string().nullable().optional(),
  experiment_name: z.string().nullable().optional(),
  framework_commit: z.string().nullable().optional(),
  start_time: Time,
  end_time: Time,
});

const MetricsSchema = z.looseObject({
  run_id: z.string().nullable().optional(),
  start_timestamp: Time,
  end_timestamp: Time,
  start_time: Time,
  end_time: Time,
  verification_status: z.string().nullable().optional(),
  total_tokens_in: Count,
  total_tokens_out: Count,
  aggregate_metrics: z.record(z.string(), z.unknown()).nullable().optional(),
  usage_api_reconciliation: z.looseObject({ verification_status: z.string().nullable().optional() }).nullable().optional(),
});
type Metadata = z.infer<typeof MetadataSchema>;
type Metrics = z.infer<typeof MetricsSchema>;

export const DEVBENCH_FILES = ['metadata.json', 'metrics.json'] as const;

/** `<framework>/<run>` directories under `dir` holding metadata.json or metrics.json. */
export function devbenchRunDirs(dir: string, frameworkDirs: readonly string[]): Array<{ framework: string; run: string }> {
  const out: Array<{ framework: string; run: string }> = [];
  for (const framework of frameworkDirs) {
    let runs: fs.Dirent[];
    try {
      runs = fs.readdirSync(path.join(dir, framework), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const r of runs) {
      if (!r.isDirectory() || r.name.startsWith('.')) continue;
      const base = path.join(dir, framework, r.name);
      if (DEVBENCH_FILES.some((f) => fs.existsSync(path.join(base, f)))) out.push({ framework, run: r.name });
    }
  }
  return out.sort((a, b) => (a.framework + '/' + a.run < b.framework + '/' + b.run ? -1 : 1));
}

function readOptional<S extends z.ZodType>(file: string, schema: S): z.infer<S> | null {
  if (!fs.existsSync(file)) return null;
  return readJsonFile(file, schema, file);
}

function numbersOf(map: Record<string, unknown> | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!map) return out;
  for (const [k, v] of Object.entries(map)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

function count(...values: unknown[]): number {
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  return 0;
}

export function devbenchEntry(framework: string, runDir: string, metadata: Metadata | null, metrics: Metrics | null): ManifestEntry {
  const agg = metrics?.aggregate_metrics ?? null;
  const params: Record<string, unknown> = {};
  if (metadata?.experiment_name) params.experiment_name = metadata.experiment_name;
  if (metadata?.framework_commit) params.framework_commit = metadata.framework_commit;
  return {
    // The original took run_id from metadata.json even when it was null; the directory name is the fallback.
    run_id: metadata?.run_id ?? metrics?.run_id ?? runDir,
    framework,
    path: `${framework}/${runDir}`,
    start_time: normalizeTime(metadata?.start_time ?? metrics?.start_timestamp ?? metrics?.start_time ?? null),
    end_time: normalizeTime(metadata?.end_time ?? metrics?.end_timestamp ?? metrics?.end_time ?? null),
    verification_status: metrics?.verification_status ?? metrics?.usage_api_reconciliation?.verification_status ?? 'pending',
    total_tokens_in: count(metrics?.total_tokens_in, agg?.TOK_IN),
    total_tokens_out: count(metrics?.total_tokens_out, agg?.TOK_OUT),
    kind: null,
    workflow: null,
    status: null,
    stop_reason: null,
    params,
    metrics: numbersOf(agg),
    tags: {},
  };
}

export function scanDevbenchRuns(dir: string, runs: ReadonlyArray<{ framework: string; run: string }>): { entries: ManifestEntry[]; problems: ScanProblem[] } {
  const entries: ManifestEntry[] = [];
  const problems: ScanProblem[] = [];
  for (const { framework, run } of runs) {
    const base = path.join(dir, framework, run);
    let current = base;
    try {
      current = path.join(base, 'metadata.json');
      const metadata = readOptional(current, MetadataSchema);
      current = path.join(base, 'metrics.json');
      const metrics = readOptional(current, MetricsSchema);
      entries.push(devbenchEntry(framework, run, metadata, metrics));
    } catch (err) {
      if (!(err instanceof RunrError)) throw err;
      problems.push({ path: current, message: err instanceof ValidationError ? `${err.field === '' ? '(root)' : err.field}: ${err.problem}` : err.message });
    }
  }
  return { entries, problems };
}
