/**
 * Scan: find the runs of a run id under `<runtime>/benchmarks/autonomous/`, with the harness's
 * rules (see core/ops/scan-rules.ts). Fixes: both temp names are recognised, a run that has only
 * its temp file is listed (active), a glob run id is resolved per file, and an unreadable envelope
 * becomes a candidate with status `unreadable` instead of crashing the scan.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { PyDict } from '../core/ops/pyvalue.js';
import { pyGet } from '../core/ops/pyvalue.js';
import {
  concreteRunId,
  envelopeMatcher,
  finalNameForTmp,
  instanceIdOf,
  modelIdOf,
  modelMatches,
  seedOf,
  sortCandidates,
  statusOf,
  tmpNamesFor,
} from '../core/ops/scan-rules.js';
import type { Candidate } from '../core/ops/types.js';
import { hasGlobMagic } from '../core/ops/fnmatch.js';
import { ioProblem, readPyDict } from './files.js';
import type { RuntimeLayout } from './runtime-layout.js';

export interface ScanFilter {
  runId: string;
  seed: number | null;
  models: readonly string[] | null;
}

export interface ScanResult {
  candidates: Candidate[];
  /** Things worth saying on stderr (e.g. the autonomous dir does not exist). */
  warnings: string[];
}

export function validateRunIdPattern(runId: string): string {
  if (runId === '' || /[\\/\0]/.test(runId)) {
    throw new UserError(`--run-id: invalid run id ${JSON.stringify(runId)} (a name or glob within one directory; no '/' or '\\')`);
  }
  return runId;
}

/** Names in the directory, and which of them are directories (never envelopes). */
function listNames(dir: string, shown: string): { names: string[]; dirs: Set<string> } | null {
  try {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    return { names: entries.map((e) => e.name), dirs: new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new UserError(`${shown}: cannot list directory (${ioProblem(err)})`);
  }
}

export function scan(layout: RuntimeLayout, filter: ScanFilter): ScanResult {
  validateRunIdPattern(filter.runId);
  const shownDir = path.join(layout.shown, 'benchmarks', 'autonomous');
  const listing = listNames(layout.autonomousDir, shownDir);
  if (listing === null) return { candidates: [], warnings: [`${shownDir}: directory not found (no runs)`] };
  const { names, dirs } = listing;
  const present = new Set(names);
  const matcher = envelopeMatcher(filter.runId);
  const models = filter.models === null ? null : new Set(filter.models);
  const out: Candidate[] = [];

  const glob = hasGlobMagic(filter.runId);
  // Plain concatenation: both directories are already normalized (path.join per file shows in profiles).
  const inAuto = (n: string) => `${layout.autonomousDir}${path.sep}${n}`;
  const inLogs = (n: string) => `${layout.logsDir}${path.sep}${n}`;

  const consider = (finalName: string, tmpName: string | null) => {
    const hasFinal = present.has(finalName);
    // Without a glob the seed filter comes first, as in the harness (no read for filtered runs).
    if (!glob && filter.seed !== null && seedOf(instanceIdOf(finalName, filter.runId)) !== filter.seed) return;
    // The harness reads the final envelope; a run that has only a temp file is read from the temp file (best effort).
    const source = inAuto(hasFinal ? finalName : (tmpName as string));
    const read = readPyDict(source);
    let envelope: PyDict = new Map();
    let error: string | null = null;
    if (read.kind === 'ok') envelope = read.value;
    else if (read.kind === 'error' && hasFinal) error = `${path.join(shownDir, finalName)}: ${read.message}`;
    const runId = concreteRunId(finalName, filter.runId, pyGet(envelope, 'run_id'));
    const instanceId = instanceIdOf(finalName, runId);
    const seed = seedOf(instanceId);
    if (filter.seed !== null && seed !== filter.seed) return;
    // An unreadable envelope has no model id; it is kept so the problem is seen.
    if (error === null && !modelMatches(envelope, models)) return;
    out.push({
      run_id: runId,
      instance_id: instanceId,
      seed,
      model_id: modelIdOf(envelope),
      status: error !== null && tmpName === null ? 'unreadable' : statusOf(tmpName !== null, envelope),
      envelope_path: inAuto(finalName),
      metrics_path: inAuto(`${runId}__${instanceId}.metrics.json`),
      events_path: inLogs(`${runId}__${instanceId}.events.jsonl`),
      tmp_path: tmpName === null ? null : inAuto(tmpName),
      has_final: hasFinal,
      envelope,
      error,
    });
  };

  const seenFinal = new Set<string>();
  for (const name of names) {
    if (matcher.test(name)) {
      if (dirs.has(name)) continue;
      seenFinal.add(name);
      const tmp = tmpNamesFor(name).find((t) => present.has(t)) ?? null;
      consider(name, tmp);
    }
  }
  for (const name of names) {
    const finalName = finalNameForTmp(name);
    if (finalName === null || present.has(finalName) || seenFinal.has(finalName) || !matcher.test(finalName)) continue;
    seenFinal.add(finalName); // both temp names for one run: list it once
    consider(finalName, name);
  }
  return { candidates: sortCandidates(out), warnings: [] };
}
