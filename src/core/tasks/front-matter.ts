/**
 * Task-file front matter (pure): an optional block between `---` lines at the top of a task file.
 * runr reads two lists from it, each as a YAML flow list (`owns: [src/auth/**, "docs/auth.md"]`)
 * or a block list (`owns:` then `  - src/auth/**` lines):
 *   owns            globs the task may change; a change outside them stops it with `ownership_violation`
 *   files_expected  files the task expects to change (collision prediction before PLAN has run)
 * Other keys are left alone (task files may carry front matter for other tools). A hand-rolled
 * reader on purpose: task files are read on every `run --task`, and the YAML parser is not loaded
 * at start-up.
 */

export interface FrontMatter {
  owns: string[];
  files_expected: string[];
  /** The text after the front matter (the whole text when there is none). */
  body: string;
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

function flowList(v: string): string[] {
  const inner = v.trim().replace(/^\[/, '').replace(/\]$/, '');
  return inner
    .split(',')
    .map(unquote)
    .filter((x) => x !== '');
}

export function parseFrontMatter(text: string): FrontMatter {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const empty: FrontMatter = { owns: [], files_expected: [], body: text };
  if (lines[0]?.trim() !== '---') return empty;
  const end = lines.findIndex((l, i) => i > 0 && (l.trim() === '---' || l.trim() === '...'));
  if (end < 0) return empty;
  const out: Record<'owns' | 'files_expected', string[]> = { owns: [], files_expected: [] };
  let current: 'owns' | 'files_expected' | null = null;
  for (const line of lines.slice(1, end)) {
    const key = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (key !== null) {
      const name = key[1] === 'owns' || key[1] === 'files_expected' ? key[1] : null;
      current = name;
      const value = (key[2] ?? '').replace(/\s+#.*$/, '').trim();
      if (name !== null && value !== '') out[name] = value.startsWith('[') ? flowList(value) : [unquote(value)];
      continue;
    }
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item !== null && current !== null) {
      const v = unquote((item[1] ?? '').replace(/\s+#.*$/, ''));
      if (v !== '') out[current].push(v);
    }
  }
  return { ...out, body: lines.slice(end + 1).join('\n') };
}
