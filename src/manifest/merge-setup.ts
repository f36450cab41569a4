/**
 * Installing the manifest's merge driver (`runr init`) and checking it (`runr doctor`): a line in
 * `.gitattributes` (tracked: every clone knows the manifest has a driver) and the driver itself in
 * the repository's git config (local: git never runs commands from tracked files).
 */
import fs from 'node:fs';
import path from 'node:path';
import { git } from '../git/exec.js';

export const DRIVER_NAME = 'runr-manifest';

export function attributesLine(runsRel: string): string {
  return `/${runsRel.split(path.sep).join('/')}/runs_manifest.json merge=${DRIVER_NAME}`;
}

/** `.gitattributes` with the driver line added (unchanged text when it is there already). */
export function withAttributes(existing: string, runsRel: string): string {
  const line = attributesLine(runsRel);
  if (existing.split('\n').some((l) => l.trim() === line)) return existing;
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${sep}# runr: the run manifest merges without conflicts (runr manifest merge)\n${line}\n`;
}

/** The git config entries (`merge.runr-manifest.*`); `command` is how git should call runr. */
export async function installDriverConfig(root: string, command: string): Promise<void> {
  await git(['config', '--local', `merge.${DRIVER_NAME}.name`, 'runr run manifest (union by run id)'], { cwd: root });
  await git(['config', '--local', `merge.${DRIVER_NAME}.driver`, `${command} manifest merge %O %A %B`], { cwd: root });
}

export interface DriverCheck {
  attributes: boolean;
  driver: string | null;
}

export async function checkDriver(root: string, runsRel: string): Promise<DriverCheck> {
  let attrs = '';
  try {
    attrs = fs.readFileSync(path.join(root, '.gitattributes'), 'utf8');
  } catch {
    attrs = '';
  }
  const attributes = attrs.split('\n').some((l) => l.trim() === attributesLine(runsRel));
  const r = await git(['config', '--local', '--get', `merge.${DRIVER_NAME}.driver`], { cwd: root, allowFail: true });
  const driver = r.code === 0 ? r.stdout.toString('utf8').trim() : null;
  return { attributes, driver: driver === '' ? null : driver };
}
