/**
 * Task files (`.runr/tasks/*.md`, operator guide "Task File Format"): a `# Title`, then `## Goal`,
 * `## Requirements`, `## Success Criteria`, optional `## Notes`, and — a runr addition for `--fast`,
 * which skips PLAN — an optional `## Milestones` list (one milestone per item).
 */
import { UserError } from '../core/errors.js';
import type { MilestoneInput } from '../core/tasks/worker-results.js';
import { parseFrontMatter } from '../core/tasks/front-matter.js';
import { readStrictTextOrNull } from '../store/strict-read.js';

export interface TaskFile {
  title: string;
  goal: string;
  requirements: string[];
  success_criteria: string[];
  notes: string[];
  milestones: MilestoneInput[];
  /** Front matter `owns:` globs (empty: no ownership rule). */
  owns: string[];
  /** Front matter `files_expected:` (collision prediction before PLAN). */
  files_expected: string[];
  text: string;
}

function items(body: string): string[] {
  return body
    .split('\n')
    .map((l) => /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(l)?.[1]?.trim() ?? '')
    .filter((l) => l !== '');
}

export function parseTaskText(text: string): TaskFile {
  const front = parseFrontMatter(text);
  const lines = front.body.replace(/\r\n/g, '\n').split('\n');
  let title = '';
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of lines) {
    const h1 = /^#\s+(.+?)\s*#*\s*$/.exec(line);
    const h2 = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h2?.[1] !== undefined) {
      current = [];
      sections.set(h2[1].toLowerCase().replace(/\s*\(.*\)\s*$/, ''), current);
    } else if (h1?.[1] !== undefined && title === '' && h1[1].trim() !== '') {
      // A title of only spaces is no title (issue 9): the goal stands in, or the file is refused.
      title = h1[1];
      current = null;
    } else if (current !== null) current.push(line);
  }
  const body = (name: string) => (sections.get(name) ?? []).join('\n').trim();
  const goal = body('goal');
  const milestones: MilestoneInput[] = items(body('milestones')).map((goalText) => ({ goal: goalText, files_expected: [], done_checks: [], risk_level: 'medium' }));
  return {
    title: title || goal.split('\n')[0] || '',
    goal,
    requirements: items(body('requirements')),
    success_criteria: items(body('success criteria')),
    notes: items(body('notes')),
    milestones,
    owns: front.owns,
    files_expected: front.files_expected,
    text,
  };
}

export function readTaskFile(abs: string, display: string): TaskFile {
  // The strict reader: file type before opening, size cap, strict UTF-8, no NUL (store/strict-read.ts).
  const text = readStrictTextOrNull(abs, display);
  if (text === null) throw new UserError(`--task: ${display}: file not found`, 'file_not_found');
  const task = parseTaskText(text);
  if (task.title === '') throw new UserError(`--task: ${display}: no title (start the file with "# <what to do>") and no "## Goal" section`);
  return task;
}

/** Milestones for `--fast`: the task's own list, or the whole task as one milestone. */
export function fastMilestones(task: TaskFile): MilestoneInput[] {
  if (task.milestones.length > 0) return task.milestones;
  return [{ goal: task.goal === '' ? task.title : `${task.title}: ${task.goal}`, files_expected: [], done_checks: task.success_criteria, risk_level: 'medium' }];
}
