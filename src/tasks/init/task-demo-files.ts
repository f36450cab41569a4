/**
 * The task-run demo repository (`runr init --demo`): a small TypeScript project, verification
 * scripts that need no installed dependencies, a scripted worker, and exactly three tasks — one
 * that succeeds, one that fails verification and then succeeds on resume, one that stops on the
 * scope guard.
 */
export const DEMO_TASKS = {
  '01-add-farewell.md': `# Add a farewell helper

## Goal
Add farewell(name) next to greet(name), with a test spec

## Requirements
- src/farewell.ts exports farewell(name: string): string
- tests/farewell.spec.json checks it

## Success Criteria
- typecheck and tests pass
`,
  '02-shout.md': `# Add shout()

## Goal
Add shout(text) that upper-cases text and adds "!"

## Requirements
- src/shout.ts exports shout(text: string): string

## Success Criteria
- tests pass (the first attempts leave a TODO behind: verification fails until resume)
`,
  '03-add-dependency.md': `# Add a date library

## Goal
Format dates in greet() with a third-party library

## Requirements
- install the dependency (this changes package-lock.json)

## Success Criteria
- runr stops: lockfile changes need --allow-deps
`,
} as const;

export const DEMO_FILES: Record<string, string> = {
  'README.md': '# runr task demo\n\nA throwaway repository built by `runr init --demo`. Try:\n\n    runr run --task .runr/tasks/01-add-farewell.md --worktree\n    runr run --task .runr/tasks/02-shout.md --worktree   # stops: verification_failed_max_retries\n    runr resume latest\n    runr run --task .runr/tasks/03-add-dependency.md --worktree   # stops: guard_violation\n',
  'package.json': `${JSON.stringify({ name: 'runr-task-demo', private: true, type: 'module', scripts: { typecheck: 'node scripts/typecheck.mjs', test: 'node scripts/test.mjs' } }, null, 2)}\n`,
  'tsconfig.json': `${JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext' }, include: ['src'] }, null, 2)}\n`,
  'src/greet.ts': 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n',
  'tests/greet.spec.json': `${JSON.stringify({ file: 'src/greet.ts', contains: ['export function greet('] }, null, 2)}\n`,
  'scripts/typecheck.mjs': `// A stand-in for tsc that needs nothing installed: every src/*.ts must have balanced braces
// and no "TODO" left behind.
import fs from 'node:fs';
let failed = false;
for (const f of fs.readdirSync('src').filter((n) => n.endsWith('.ts'))) {
  const text = fs.readFileSync(\`src/\${f}\`, 'utf8');
  const open = (text.match(/[{(]/g) ?? []).length;
  const close = (text.match(/[})]/g) ?? []).length;
  if (open !== close) { console.error(\`src/\${f}: unbalanced braces\`); failed = true; }
  if (text.includes('TODO')) { console.error(\`src/\${f}: TODO left in the code\`); failed = true; }
}
process.exitCode = failed ? 1 : 0;
`,
  'scripts/test.mjs': `// Each tests/*.spec.json names a file and strings it must contain.
import fs from 'node:fs';
let failed = 0;
for (const f of fs.readdirSync('tests').filter((n) => n.endsWith('.spec.json'))) {
  const spec = JSON.parse(fs.readFileSync(\`tests/\${f}\`, 'utf8'));
  const text = fs.existsSync(spec.file) ? fs.readFileSync(spec.file, 'utf8') : '';
  for (const s of spec.contains ?? []) if (!text.includes(s)) { console.error(\`FAIL \${f}: \${spec.file} does not contain \${JSON.stringify(s)}\`); failed++; }
}
console.log(failed === 0 ? 'all specs pass' : \`\${failed} failing\`);
process.exitCode = failed === 0 ? 0 : 1;
`,
};

const farewell = 'export function farewell(name: string): string {\n  return `Goodbye, ${name}!`;\n}\n';
const shoutTodo = 'export function shout(text: string): string {\n  // TODO: upper-case it\n  return text;\n}\n';
const shoutDone = "export function shout(text: string): string {\n  return `${text.toUpperCase()}!`;\n}\n";

export const DEMO_SCRIPT = {
  tasks: {
    '01-add-farewell.md': {
      plan: {
        milestones: [
          { goal: 'Add farewell(name) in src/farewell.ts', files_expected: ['src/farewell.ts'], done_checks: ['typecheck passes'], risk_level: 'low' },
          { goal: 'Add a spec for farewell', files_expected: ['tests/farewell.spec.json'], done_checks: ['tests pass'], risk_level: 'low' },
        ],
      },
      milestones: {
        m1: { implement: [{ write: { 'src/farewell.ts': farewell }, memo: 'added farewell()' }] },
        m2: { implement: [{ write: { 'tests/farewell.spec.json': `${JSON.stringify({ file: 'src/farewell.ts', contains: ['export function farewell(', 'Goodbye'] })}\n` }, memo: 'added the spec' }] },
      },
    },
    '02-shout.md': {
      plan: { milestones: [{ goal: 'Add shout(text) in src/shout.ts with a spec', files_expected: ['src/shout.ts', 'tests/shout.spec.json'], risk_level: 'medium' }] },
      milestones: {
        m1: {
          implement: [
            { write: { 'src/shout.ts': shoutTodo, 'tests/shout.spec.json': `${JSON.stringify({ file: 'src/shout.ts', contains: ['toUpperCase'] })}\n` }, memo: 'first draft' },
            { write: { 'src/shout.ts': shoutTodo }, memo: 'second draft (still a TODO)' },
            { write: { 'src/shout.ts': shoutDone }, memo: 'done properly after resume' },
          ],
        },
      },
    },
    '03-add-dependency.md': {
      plan: { milestones: [{ goal: 'Install a date library and use it in greet()', files_expected: ['src/greet.ts'], risk_level: 'high' }] },
      milestones: {
        m1: { implement: [{ write: { 'src/greet.ts': "import { format } from 'date-fns';\nexport function greet(name: string): string {\n  return `Hello, ${name}! (${format(new Date(), 'PPP')})`;\n}\n", 'package-lock.json': '{\n  "name": "runr-task-demo",\n  "lockfileVersion": 3\n}\n' }, memo: 'installed date-fns' }] },
      },
    },
  },
};

export const DEMO_CONFIG = {
  agent: { name: 'runr-task-demo', version: '1' },
  scope: { allowlist: ['src/**', 'tests/**'], presets: ['typescript'] },
  verification: { tier0: ['node scripts/typecheck.mjs'], tier2: ['node scripts/test.mjs'] },
  workers: { scripted: { adapter: 'scripted', script: '.runr/demo.script.json' } },
  phases: { plan: 'scripted', implement: 'scripted', review: 'scripted' },
  limits: { max_verify_retries: 2, max_review_rounds: 2 },
};
