/**
 * What `runr init` writes for task runs: the config sections (from detection), example task files
 * in `.runr/tasks/`, and — with `--demo` — a self-contained demo repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StateError } from '../../core/errors.js';
import { gitSyncText } from '../../git/exec.js';
import { ignoreBlock } from '../../project/ignore-rules.js';
import { CONFIG_SCHEMA_REL } from '../../config/schema-ref.js';
import { DEMO_CONFIG, DEMO_FILES, DEMO_SCRIPT, DEMO_TASKS } from './task-demo-files.js';

export const EXAMPLE_TASK_REL = '.runr/tasks/example-task.md';

export const EXAMPLE_TASK = `# Add dark mode toggle

## Goal
Users can switch between light/dark themes

## Requirements
- Toggle in settings page
- Persists in localStorage
- Updates CSS variables

## Success Criteria
- Clicking toggle switches theme
- Theme persists on refresh
- Existing tests still pass

## Notes (optional)
- Run it with: runr run --task .runr/tasks/example-task.md --worktree --json
`;

/** Example task files to write (none when the directory already holds task files). */
export function exampleTaskFiles(root: string): Array<{ path: string; content: string }> {
  const dir = path.join(root, '.runr', 'tasks');
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.md')) : [];
  return existing.length > 0 ? [] : [{ path: EXAMPLE_TASK_REL, content: EXAMPLE_TASK }];
}

export function writeExampleTasks(root: string, files: ReadonlyArray<{ path: string; content: string }>): void {
  for (const f of files) put(root, f.path, f.content);
}

function put(root: string, rel: string, text: string): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

function git(dir: string, args: string[]): void {
  const r = gitSyncText(args, { cwd: dir });
  if (!r.ok) throw new StateError(`demo: git ${args.join(' ')} failed: ${r.stderr.trim()}`);
}

export interface DemoRepo {
  dir: string;
  tasks: string[];
}

/** Build the task-run demo repository in `dir` (which must be empty or absent) and commit it. */
export function createTaskDemoRepo(dir: string): DemoRepo {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new StateError(`demo: ${dir} exists and is not empty`);
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  git(dir, ['config', 'user.email', 'demo@runr.local']);
  git(dir, ['config', 'user.name', 'runr demo']);
  for (const [rel, text] of Object.entries(DEMO_FILES)) put(dir, rel, text);
  put(dir, '.gitignore', `node_modules/\n\n${ignoreBlock('.runr', '.runr/runs')}\n`);
  put(dir, '.runr/runr.config.json', `${JSON.stringify({ $schema: CONFIG_SCHEMA_REL, schema_version: 1, ...DEMO_CONFIG }, null, 2)}\n`);
  put(dir, '.runr/demo.script.json', `${JSON.stringify(DEMO_SCRIPT, null, 2)}\n`);
  const tasks: string[] = [];
  for (const [name, text] of Object.entries(DEMO_TASKS)) {
    put(dir, `.runr/tasks/${name}`, text);
    tasks.push(`.runr/tasks/${name}`);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'runr task demo: a small TypeScript project, a scripted worker, three tasks']);
  return { dir, tasks };
}
