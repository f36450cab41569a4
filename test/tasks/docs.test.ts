/** docs/tasks.md's stop-reason table says what the registry says, for every reason. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STOP_REASON_CODES, STOP_REASONS } from '../../src/core/tasks/stop-reasons.js';
import { repoRoot } from './helpers.js';

describe('docs/tasks.md', () => {
  it('documents every stop reason as the registry defines it', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'tasks.md'), 'utf8');
    for (const code of STOP_REASON_CODES) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      expect(row, code).toBeDefined();
      const cells = row!.split(' | ').map((c) => c.trim());
      const r = STOP_REASONS[code];
      expect(cells[1], code).toBe(r.resumable ? 'yes' : 'no');
      expect(cells[2], code).toBe(r.autoResume ? 'yes' : 'no');
      expect(cells[3], code).toBe(`\`${r.nextAction}\``);
      expect(cells[4], code).toBe(`\`${r.suggestedCommand}\``);
    }
  });
});
