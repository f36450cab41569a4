/**
 * A repository for the robustness suites: the fixture contracts and workflow (makeRepo), plus a
 * workflow `robust` with two gates whose outputs already exist, so `gate finish` does real work:
 *   G1  the fixture's G1 contract (any_of intake files; one small artifact hashed)
 *   CV  a contract with two required outputs (one of 4 MB, to hash) and a `command` validator
 *       that sleeps 50 ms, so kills can land while the validator runs.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { makeRepo, runr, writeFile } from '../helpers/cli.js';

export const ARTIFACT_PATH = 'essays/robust';

export const CV_CONTRACT = {
  gate: 'CV',
  name: 'Command validated',
  blocking: true,
  required_outputs: {
    all_of: [
      { path: '{artifact_path}/big.bin', description: 'a large output', required: true },
      { path: '{artifact_path}/notes.md', description: 'notes', required: true },
    ],
  },
  validations: [
    { type: 'file_exists', target: 'all_required' },
    { type: 'command', argv: ['sleep', '0.05'], timeout_s: 30, description: 'a slow checker' },
  ],
};

export const ROBUST_WORKFLOW = {
  workflow: 'robust',
  version: 'test',
  gates: [
    { gate: 'G1', name: 'Intake Approval', agent: 'intake', contract: 'orchestration/gates/contracts/G1.contract.json' },
    { gate: 'CV', name: 'Command validated', agent: 'checker', contract: '.runr/contracts/CV.contract.json' },
  ],
};

export function makeRobustRepo(): string {
  const repo = makeRepo();
  writeFile(repo, '.runr/contracts/CV.contract.json', CV_CONTRACT);
  writeFile(repo, '.runr/workflows/robust.json', ROBUST_WORKFLOW);
  writeFile(repo, `${ARTIFACT_PATH}/research/INTAKE.md`, '# Intake\n\nApproved.\n');
  writeFile(repo, `${ARTIFACT_PATH}/notes.md`, '# Notes\n');
  writeFile(repo, `${ARTIFACT_PATH}/big.bin`, crypto.randomBytes(4 << 20).toString('base64'));
  return repo;
}

/** Start a `robust` run and return its id and absolute directory. */
export function startRun(repo: string, slug: string): { id: string; dir: string } {
  const r = runr(['run', 'start', '--workflow', 'robust', '--slug', slug, '--artifact-path', ARTIFACT_PATH, '--json'], { cwd: repo });
  if (r.status !== 0) throw new Error(`run start failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { run_id: string; run_dir: string };
  return { id: out.run_id, dir: path.join(repo, out.run_dir) };
}
