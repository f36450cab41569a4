/**
 * Verify one run: the harness verifier's six checks (core/ops/verify-checks.ts) with the I/O done
 * here — the recomputed log hash, the temp-file search, the optional external verifier.
 * runr's fix: `no_tmp_remains` looks at this run's own files (`<run_id>__<instance>.*.tmp` in the
 * autonomous and execution-log directories); the harness searched the whole runtime dir, so one
 * active run failed every other run. `strictTmp` keeps the harness's global search.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Candidate, Verification } from '../core/ops/types.js';
import { buildVerification } from '../core/ops/verify-checks.js';
import type { ExternalVerifierOptions } from './external-verifier.js';
import { runExternalVerifier } from './external-verifier.js';
import type { RuntimeLayout } from './runtime-layout.js';
import { shownPath } from './runtime-layout.js';
import { executionLogHash } from './log-hash.js';
import { walkFiles } from '../store/walk.js';

export interface VerifyOptions {
  strictTmp: boolean;
  external?: ExternalVerifierOptions | null;
}

/** Every `*.tmp` file under the runtime dir (the harness's `rglob("*.tmp")`), sorted. */
export function allTmpFiles(layout: RuntimeLayout): string[] {
  const out: string[] = [];
  walkFiles(layout.root, (abs) => {
    if (abs.endsWith('.tmp')) out.push(shownPath(layout, abs));
  });
  return out.sort();
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `*.tmp` files (absolute) in the autonomous and execution-log directories: where a run's own temp files live. */
export function runDirsTmpFiles(layout: RuntimeLayout): string[] {
  const out: string[] = [];
  for (const dir of [layout.autonomousDir, layout.logsDir]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) if (n.endsWith('.tmp')) out.push(path.join(dir, n));
  }
  return out;
}

/** The temp files that belong to this run, from a listing made by runDirsTmpFiles. */
export function runTmpFiles(layout: RuntimeLayout, c: Candidate, listing: readonly string[]): string[] {
  const prefix = `${c.run_id}__${c.instance_id}.`;
  return listing
    .filter((p) => path.basename(p).startsWith(prefix) && isFile(p))
    .map((p) => shownPath(layout, p))
    .sort();
}

export async function verifyCandidate(layout: RuntimeLayout, c: Candidate, opts: VerifyOptions, listing?: readonly string[]): Promise<Verification> {
  const [logHash, external] = await Promise.all([
    executionLogHash(c.events_path),
    opts.external ? runExternalVerifier(c, opts.external) : Promise.resolve(undefined),
  ]);
  const tmpFound = opts.strictTmp ? allTmpFiles(layout) : runTmpFiles(layout, c, listing ?? runDirsTmpFiles(layout));
  return buildVerification({ envelope: c.envelope, logHash, tmpFound, ...(external ? { external } : {}) });
}

/** Verify many runs, a few at a time (hashing overlaps file reads); results in input order. */
export async function verifyAll(layout: RuntimeLayout, cands: readonly Candidate[], opts: VerifyOptions, concurrency = 4): Promise<Verification[]> {
  const listing = opts.strictTmp ? [] : runDirsTmpFiles(layout);
  const out: Verification[] = new Array<Verification>(cands.length);
  let next = 0;
  const worker = async () => {
    while (next < cands.length) {
      const i = next++;
      out[i] = await verifyCandidate(layout, cands[i] as Candidate, opts, listing);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cands.length) }, worker));
  return out;
}
