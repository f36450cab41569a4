/** `runr doctor`: is the manifest's merge driver installed (`.gitattributes` line and git config)? */
import type { Project } from '../store/project.js';
import { relToRoot } from '../store/project.js';
import { checkDriver } from '../manifest/merge-setup.js';
import type { CheckResult } from './doctor-types.js';
import { isGitRepo } from '../git/probe.js';

export async function checkMergeDriver(project: Project): Promise<CheckResult[]> {
  if (!isGitRepo(project.root)) return [];
  const c = await checkDriver(project.root, relToRoot(project, project.runsDir));
  if (c.attributes && c.driver !== null && /manifest merge %O %A %B/.test(c.driver)) {
    return [{ name: 'manifest merge driver', status: 'ok', detail: `branches that add runs merge without conflicts (${c.driver})` }];
  }
  const missing = [c.attributes ? null : '.gitattributes has no merge=runr-manifest line', c.driver === null ? 'git config merge.runr-manifest.driver is not set' : /manifest merge %O %A %B/.test(c.driver) ? null : `git config merge.runr-manifest.driver is ${c.driver}`].filter((x) => x !== null);
  return [{ name: 'manifest merge driver', status: 'warn', detail: `${missing.join('; ')}: merging branches that each added runs will conflict on runs_manifest.json`, hint: 'runr init (keeps your config; installs the driver)' }];
}
