/**
 * The demo repository's files: a visual-essay-like workflow whose gates run small Node scripts
 * (command executors). G2's script writes too few sources on its first attempt, so the gate
 * fails, is retried, and passes.
 */
export const DEMO_WORKFLOW = {
  workflow: 'visual-essay',
  version: 'demo',
  description: 'Visual essay pipeline (demo): intake → research → spec',
  gates: [
    { gate: 'G1', name: 'Intake Approval', agent: 'intake-script', contract: '.runr/contracts/G1.contract.json', executor: 'command', command: ['node', 'scripts/intake.mjs'], timeout_s: 60 },
    { gate: 'G2', name: 'Research Complete', agent: 'research-script', contract: '.runr/contracts/G2.contract.json', executor: 'command', command: ['node', 'scripts/research.mjs'], retries: 1, timeout_s: 60 },
    { gate: 'G3', name: 'Spec Approval', agent: 'spec-script', contract: '.runr/contracts/G3.contract.json', executor: 'command', command: ['node', 'scripts/spec.mjs'], timeout_s: 60 },
  ],
};

export const DEMO_CONTRACTS: Record<string, unknown> = {
  G1: {
    gate: 'G1',
    name: 'Intake Approval',
    blocking: true,
    required_outputs: { any_of: [{ path: 'projects/{slug}/INTAKE-APPROVAL.md' }, { path: '{artifact_path}/research/INTAKE.md' }] },
    validations: [{ type: 'file_exists', target: 'any_of', description: 'At least one intake artifact must exist' }],
  },
  G2: {
    gate: 'G2',
    name: 'Research Complete',
    blocking: true,
    required_outputs: {
      all_of: [
        { path: '{artifact_path}/research/CITATIONS.md', description: 'All sources', required: true },
        { path: '{artifact_path}/research/SYNTHESIS.md', description: 'Key findings', required_for_depth: ['standard', 'deep'], optional_for_depth: ['quick'] },
        { path: '{artifact_path}/research/QUOTES.md', description: 'Verified quotes', required: true },
      ],
    },
    validations: [
      { type: 'file_exists', target: 'all_required' },
      { type: 'min_sources', target: '{artifact_path}/research/CITATIONS.md', thresholds: { quick: 3, standard: 8, deep: 15 }, description: 'CITATIONS.md needs enough sources for the depth' },
    ],
  },
  G3: {
    gate: 'G3',
    name: 'Spec Approval',
    blocking: true,
    required_outputs: { all_of: [{ path: 'specs/{slug}.md', description: '6-layer specification' }] },
    validations: [
      { type: 'contains_headings', target: 'specs/{slug}.md', required_headings: ['## Layer 1', '## Layer 2', '## Layer 3', '## Layer 4', '## Layer 5', '## Layer 6'], description: 'All 6 layers' },
      { type: 'not_contains', target: 'specs/{slug}.md', pattern: '[DRAFT]', severity: 'warning', description: 'No [DRAFT] marker' },
      { type: 'command', argv: ['node', 'scripts/check-spec.mjs', 'specs/{slug}.md'], timeout_s: 30, description: 'Spec passes its own checker' },
    ],
  },
};

const writer = `import fs from 'node:fs';
import path from 'node:path';
export function write(rel, text) {
  fs.mkdirSync(path.dirname(rel), { recursive: true });
  fs.writeFileSync(rel, text);
  console.log('wrote ' + rel);
}
export const env = process.env;
`;

export const DEMO_SCRIPTS: Record<string, string> = {
  'scripts/lib.mjs': writer,
  'scripts/intake.mjs': `import { write, env } from './lib.mjs';
write(env.RUNR_ARTIFACT_PATH + '/research/INTAKE.md', '# Intake: ' + env.RUNR_SLUG + '\\n\\nScope approved for depth ' + env.RUNR_DEPTH + '.\\n');
`,
  'scripts/research.mjs': `import { write, env } from './lib.mjs';
// First attempt: a rushed job with only 3 sources. The gate's min_sources check (8 at standard
// depth) fails it; runr retries, and the second attempt does the research properly.
const n = env.RUNR_ATTEMPT === '1' ? 3 : 9;
const dir = env.RUNR_ARTIFACT_PATH + '/research/';
let cites = '# Citations\\n\\n';
for (let i = 1; i <= n; i++) cites += '### Source ' + i + '\\nhttps://example.org/robot/' + i + '\\n\\n';
write(dir + 'CITATIONS.md', cites);
write(dir + 'SYNTHESIS.md', '# Synthesis\\n\\n"Robot" comes from Czech robota, forced labour (Čapek, 1920).\\n');
write(dir + 'QUOTES.md', '# Quotes\\n\\n> "Robots are not people." — R.U.R.\\n');
console.log('research attempt ' + env.RUNR_ATTEMPT + ': ' + n + ' sources');
`,
  'scripts/spec.mjs': `import { write, env } from './lib.mjs';
let spec = '# Spec: ' + env.RUNR_SLUG + '\\n\\n[DRAFT]\\n\\n';
for (let i = 1; i <= 6; i++) spec += '## Layer ' + i + '\\n\\nContent for layer ' + i + '.\\n\\n';
write('specs/' + env.RUNR_SLUG + '.md', spec);
`,
  'scripts/check-spec.mjs': `import fs from 'node:fs';
const text = fs.readFileSync(process.argv[2], 'utf8');
if (text.length < 50) { console.error('spec too short'); process.exitCode = 1; }
else console.log('spec ok (' + text.length + ' bytes)');
`,
};
