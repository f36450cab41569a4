/**
 * The selective .gitignore block runr maintains: records and the manifest stay tracked; logs,
 * worktrees, archives and `*.log` are ignored. Kept between markers so `runr init` can update it
 * in place without touching the user's own rules.
 */
export const BEGIN = '# >>> runr (managed by `runr init`; records and the manifest are tracked) >>>';
export const END = '# <<< runr <<<';

export function ignoreBlock(runrRel: string, runsRel: string): string {
  const r = runrRel.replace(/\/+$/, '');
  const runs = runsRel.replace(/\/+$/, '');
  return [
    BEGIN,
    `${runs}/*/logs/`,
    `${r}/worktrees/`,
    `${r}/view.html`,
    `${runs}/**/*.tar.gz`,
    `${runs}/**/*.tgz`,
    `${runs}/**/*.zip`,
    `${runs}/**/*.tmp`,
    `${runs}/.runs_manifest.json.*`,
    `${runs}/runs_manifest.json.corrupt-*`,
    '*.log',
    END,
  ].join('\n');
}

/** Insert or replace the managed block in an existing .gitignore text. */
export function applyIgnoreBlock(existing: string, block: string): string {
  const start = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  if (start !== -1 && end !== -1 && end > start) {
    return `${existing.slice(0, start)}${block}${existing.slice(end + END.length)}`;
  }
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${sep}${existing === '' ? '' : '\n'}${block}\n`;
}

/** Paths that must (or must not) be ignored for the rules to hold; checked by `runr doctor`. */
export function ignoreProbes(runrRel: string, runsRel: string): Array<{ path: string; ignored: boolean }> {
  const runs = runsRel.replace(/\/+$/, '');
  return [
    { path: `${runs}/run_x/logs/gates/G1/prompt.txt`, ignored: true },
    { path: `${runrRel}/worktrees/run_x/file.ts`, ignored: true },
    { path: `${runs}/run_x/archive.tar.gz`, ignored: true },
    { path: `${runs}/run_x/record/RUN.json`, ignored: false },
    { path: `${runs}/run_x/record/events.jsonl`, ignored: false },
    { path: `${runs}/runs_manifest.json`, ignored: false },
    { path: `${runs}/.runs_manifest.json.lock`, ignored: true },
  ];
}
