/**
 * Configuration pinned on every git command runr runs (docs/security.md). A worker runs with the
 * user's permissions and can edit `.git/config` or drop a hook into `.git/hooks`; whatever it
 * planted must never execute through runr. So each invocation overrides, on the command line
 * (which wins over every config file):
 *   - core.hooksPath: /dev/null (no hook can be found), except for checkpoint commits, which get
 *     the hooks directory fingerprinted when the session started (the user's own, unchanged
 *     hooks; `guard.user_hooks: false` turns those off too);
 *   - core.fsmonitor=false: the fsmonitor hook is a command git runs on `status`/`add`;
 *   - core.untrackedCache=false and core.splitIndex=false: no index extensions written by runr;
 *   - gc.auto=0 and maintenance.auto=false: runr's commits never start a background repack or gc
 *     (which would rewrite .git/info/refs and packs mid-run, and costs a process per commit);
 *   - diff.external / core.pager are not used (`--no-ext-diff`, no terminal);
 *   - commit.gpgsign=false on commits (gpg.program is a command, too).
 * Filters (`filter.<name>.clean`) cannot be pinned by name: the guard compares `.git/config`
 * before any git command runs after a worker call, and stops on a change.
 */
export const NO_HOOKS = '/dev/null';

export function pinnedConfig(hooksPath: string = NO_HOOKS): string[] {
  return ['-c', `core.hooksPath=${hooksPath}`, '-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '-c', 'core.splitIndex=false', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false'];
}
