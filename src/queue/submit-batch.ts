/**
 * `runr submit --batch <study> <batch_id>`: one queued run per variant of the batch. Everything
 * `batch run` checks is checked here first, without the queue server (a dry run of the whole
 * batch: manifest, pipeline, registry, every variant's templates). Workers run the batch from the
 * base commit, so the batch's manifest, the pipeline and the base paths must be committed there.
 *
 * Each variant's run id is derived from the study, the batch, the variant and the manifest's
 * text: submitting the same batch again gives the same ids, and the registry and BullMQ's job ids
 * make that a no-op (no second copy of any variant).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { makeRunId, slugify } from '../core/ids.js';
import type { VariantJobSpec } from '../core/queue/payload.js';
import { git } from '../git/exec.js';
import { sha256Text } from '../store/hash.js';
import { storeFor } from '../store/open-store.js';
import { runBatch } from '../studies/batch-run.js';
import { StudyLayout, openStudies } from '../studies/layout.js';
import { readManifest } from '../studies/manifest-io.js';
import { readStrictText } from '../studies/text.js';
import { readPointer } from '../studies/variant-state.js';

export interface BatchSubmitSpec {
  study: string;
  batch: string;
  /** `--studies-dir` (else the config's `studies_dir`, else `runs`). */
  studiesDir?: string;
  /** `--runs-dir` of the local store (to read the variants' local state). */
  runsDir?: string;
}

export interface PreparedBatch {
  study: string;
  batch_id: string;
  variants: Array<{ variant_id: string; run_id: string; spec: VariantJobSpec }>;
}

/** `run_<created_at>_<study>-<variant>_<6 of sha256(study, batch, variant, manifest text)>`. */
export function variantRunId(study: string, batch: string, variant: string, createdAt: string, manifestText: string): string {
  const slug = slugify(`${study}-${variant}`).slice(0, 60).replace(/[-._]+$/, '');
  const digest = sha256Text(`${study}\0${batch}\0${variant}\0${manifestText}`);
  const suffix = BigInt(`0x${digest.slice(0, 15)}`).toString(36).padStart(6, '0').slice(-6);
  const at = new Date(createdAt);
  return makeRunId(slug, Number.isNaN(at.getTime()) ? new Date(0) : at, () => suffix);
}

export async function prepareBatch(repoRoot: string, cwd: string, spec: BatchSubmitSpec, env: NodeJS.ProcessEnv): Promise<PreparedBatch> {
  const root = openStudies(cwd, { ...(spec.studiesDir !== undefined ? { studiesDir: spec.studiesDir } : {}), ...(spec.runsDir !== undefined ? { runsDir: spec.runsDir } : {}) });
  const layout = new StudyLayout(root, spec.study);
  // A dry run checks the manifest, the pipeline, the registry and every variant; it writes nothing.
  const plan = await runBatch(root, storeFor(root.project), { study: spec.study, batch: spec.batch, variants: [], jobs: 1, dryRun: true, pipeline: undefined, note: null, cwd, signal: new AbortController().signal, now: () => new Date(), env });
  const manifestFile = layout.manifestFile(spec.batch);
  const manifestText = readStrictText(manifestFile, layout.display(manifestFile));
  const manifest = await readManifest(layout, spec.batch);
  const createdAt = manifest.created_at;
  await requireCommitted(repoRoot, [layout.display(manifestFile), plan.pipeline, ...Object.values(manifest.base_paths)], layout.display(layout.registryCsv));
  const variants = plan.variants.map((v) => {
    const runId = variantRunId(spec.study, spec.batch, v.variant, createdAt, manifestText);
    // A variant already run here (a local `batch run`) keeps its run: it is not queued a second time.
    const local = readPointer(layout.variantDir(spec.batch, v.variant));
    if (local !== null && local !== runId) throw new UserError(`--batch: variant ${v.variant} of ${spec.batch} already has a local run (${local}); run it with batch run, or make a new batch to run it through the queue`);
    return { variant_id: v.variant, run_id: runId, spec: { studies_dir: root.rel, study: spec.study, batch_id: spec.batch, variant_id: v.variant } };
  });
  return { study: spec.study, batch_id: spec.batch, variants };
}

/**
 * Workers see the base commit, not this working tree: each file must be tracked and unchanged
 * there. The registry must be tracked (workers append to their copy); its local changes are fine.
 */
async function requireCommitted(repoRoot: string, files: readonly string[], registry: string): Promise<void> {
  const all = [...files, registry];
  const tracked = new Set((await git(['ls-files', '-z', '--', ...all], { cwd: repoRoot })).stdout.toString('utf8').split('\0'));
  const missing = all.filter((f) => !tracked.has(f));
  if (missing.length > 0) throw new UserError(`--batch: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not committed (workers run the batch from the base commit): commit and push first`);
  const changed = (await git(['diff', '--name-only', '-z', 'HEAD', '--', ...files], { cwd: repoRoot })).stdout.toString('utf8').split('\0').filter((f) => f !== '');
  if (changed.length > 0) throw new UserError(`--batch: ${changed.join(', ')} ${changed.length === 1 ? 'has' : 'have'} uncommitted changes (workers run the batch from the base commit): commit and push first`);
  for (const f of files) if (!fs.existsSync(path.join(repoRoot, f))) throw new UserError(`--batch: ${f} is missing`);
}
