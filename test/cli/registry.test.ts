/**
 * The command groups' `names` (src/cli/registry.ts) route a command line to the one group that is
 * loaded for it: each name must be a top-level command of that group and of no other, or a command
 * line would be parsed against a program that lacks its command.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandWord, rewriteArgv } from '../../src/cli/argv.js';
import { COMMAND_GROUPS, groupsFor } from '../../src/cli/registry.js';

async function registered(): Promise<string[][]> {
  const out: string[][] = [];
  for (const g of COMMAND_GROUPS) {
    const program = new Command('runr');
    (await g.load())(program, { signal: new AbortController().signal });
    out.push(program.commands.map((c) => [c.name(), ...c.aliases()]).flat());
  }
  return out;
}

describe('command groups', () => {
  it("each group's names are commands it registers, and no other group registers them", async () => {
    const names = await registered();
    COMMAND_GROUPS.forEach((g, i) => {
      expect(g.names.length).toBeGreaterThan(0);
      for (const n of g.names) {
        expect(names[i], `group ${i} registers ${n}`).toContain(n);
        names.forEach((other, j) => {
          if (j !== i) expect(other, `group ${j} also registers ${n}`).not.toContain(n);
        });
      }
    });
  });

  it('a command line loads the group of its command word; help, no word or an unknown one load all', () => {
    const word = (argv: string[]) => commandWord(rewriteArgv(argv));
    expect(word(['-C', 'd', '--json', 'status', 'x'])).toBe('status');
    expect(word(['--runs-dir=r', 'run', 'list'])).toBe('run');
    expect(word(['run', '--task', 't.yaml'])).toBe('run-task');
    expect(word(['run', 'wf'])).toBe('run-workflow');
    expect(word(['--help'])).toBeUndefined();
    expect(word([])).toBeUndefined();
    expect(groupsFor('status')).toHaveLength(1);
    expect(groupsFor('status')[0]!.names).toContain('report');
    expect(groupsFor('run-task')[0]!.names).toContain('status');
    for (const w of [undefined, 'help', 'statsu']) expect(groupsFor(w)).toBe(COMMAND_GROUPS);
  });
});
