/** A task file whose title is only spaces (issue 9) has no title: refused (exit 2) unless a goal stands in. */
import { afterAll, describe, expect, it } from 'vitest';
import { parseTaskText } from '../../src/tasks/task-file.js';
import { makeTaskRepo, removeRepo, runr, writeFile } from '../tasks/helpers.js';

const dir = makeTaskRepo();
afterAll(() => removeRepo(dir));

describe('a task title of only spaces', () => {
  it('is no title: the goal stands in', () => {
    expect(parseTaskText('#    \n\n## Goal\nAdd greet\n').title).toBe('Add greet');
    expect(parseTaskText('# \t \n').title).toBe('');
  });
  it('without a goal the task file is refused: exit 2, one line naming the file', () => {
    writeFile(dir, 'blank.md', '#     \n\nsome text\n');
    const r = runr(['run', '--task', 'blank.md', '--foreground'], { cwd: dir });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: --task: blank\.md: no title/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});
