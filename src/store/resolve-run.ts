/**
 * Which run an argument names: `latest`, an exact id or a unique prefix, at a cost that does not
 * grow with the store. An exact id opens its directory directly; `latest` and a prefix are looked
 * up in the manifest (binary search, see manifest/lookup.ts). Only when the manifest is missing,
 * unusable or knows no match is the runs directory listed (a run the index does not know yet).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { validateRunIdArg } from '../core/ids.js';
import { lookupLatest, lookupPrefix } from '../manifest/lookup.js';

/** All run directory names (ids) in `runsDir`, sorted. Only names that are valid ids are returned. */
export function listRunIds(runsDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => n.startsWith('run_'))
    .filter((n) => {
      try {
        validateRunIdArg(n);
        return fs.statSync(path.join(runsDir, n)).isDirectory();
      } catch {
        return false;
      }
    })
    .sort();
}

/** Whether `<runs dir>/<id>` is a directory (the id already validated). */
function hasRunDir(runsDir: string, id: string): boolean {
  try {
    return fs.statSync(path.join(runsDir, id)).isDirectory();
  } catch {
    return false;
  }
}

function ambiguous(flag: string, arg: string, count: number, ids: readonly string[]): UserError {
  return new UserError(`${flag}: ${JSON.stringify(arg)} matches ${count} runs (${ids.slice(0, 3).join(', ')}${count > 3 ? ', …' : ''}); give more of the id`, 'run_ambiguous');
}

function resolveByListing(runsDir: string, shown: string, arg: string, flag: string): string {
  const ids = listRunIds(runsDir);
  if (arg === 'latest') {
    const last = ids[ids.length - 1];
    if (last === undefined) throw new UserError(`${flag}: Run not found: no runs in ${shown}`, 'run_not_found');
    return last;
  }
  if (ids.includes(arg)) return arg;
  const matches = ids.filter((id) => id.startsWith(arg));
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  if (matches.length > 1) throw ambiguous(flag, arg, matches.length, matches);
  // "Run not found", as the operator guide spells it (agents match on it).
  throw new UserError(`${flag}: Run not found: ${arg} (in ${shown})`, 'run_not_found');
}

/** The run id `arg` names in `runsDir` (`shown`: the runs directory as messages show it). */
export function resolveRunId(runsDir: string, shown: string, arg: string, flag: string): string {
  validateRunIdArg(arg, flag);
  if (arg.startsWith('run_') && hasRunDir(runsDir, arg)) return arg;
  if (arg === 'latest') {
    const hit = lookupLatest(runsDir, (id) => id.startsWith('run_') && hasRunDir(runsDir, id));
    if (hit !== null) return hit;
  } else if (arg.startsWith('run_')) {
    const hit = lookupPrefix(runsDir, arg);
    if (hit.kind === 'found' && hit.count > 1) throw ambiguous(flag, arg, hit.count, hit.ids);
    const only = hit.kind === 'found' ? hit.ids[0] : undefined;
    if (only !== undefined && hasRunDir(runsDir, only)) return only;
  }
  return resolveByListing(runsDir, shown, arg, flag);
}
