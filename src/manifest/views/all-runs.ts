/**
 * Every run of the store in the manifest, newest first (the order of `runr run list` and `runr
 * status --all`), with the manifest's identity so a cache of the order can tell it is still right.
 * The canonical layout is read line by line without parsing entries: the id, path and start time
 * are at fixed places at the start of each line. Anything else takes the listing's full path.
 */
import fs from 'node:fs';
import { RowLines } from '../../core/manifest/rows.js';
import { readManifestText } from '../io.js';
import { listFromIndex } from '../listing.js';
import { manifestFile } from '../paths.js';
import { walFile } from '../wal.js';

export interface AllRuns {
  ids: string[];
  matched: number;
  total: number;
  /** The manifest's identity while it was read; null when it changed meanwhile or was being patched. */
  stamp: string | null;
}

const HEAD_RE = /^ {4}\{"run_id":"([^"\\]*)","framework":"[^"\\]*","path":"([^"\\]*)","start_time":(?:null|"([^"\\]*)")/;

export function manifestStamp(runsDir: string): string | null {
  if (fs.existsSync(walFile(runsDir))) return null;
  let st: fs.BigIntStats | undefined;
  try {
    st = fs.statSync(manifestFile(runsDir), { bigint: true, throwIfNoEntry: false });
  } catch {
    return null; // not statable (a symlink loop): no stamp; the read that follows says what is wrong
  }
  return st === undefined || !st.isFile() ? null : `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

function fromLines(lines: readonly string[]): string[] | null {
  const ids: string[] = [];
  const starts: string[] = [];
  for (const line of lines) {
    const m = HEAD_RE.exec(line);
    if (m === null) return null;
    const id = m[1] as string;
    // A run of this store (not a dev-benchmark entry of another layout).
    if (m[2] !== id || !id.startsWith('run_')) continue;
    ids.push(id);
    starts.push(m[3] ?? '');
  }
  const order = ids.map((_, i) => i);
  order.sort((a, b) => {
    const sa = starts[a] as string;
    const sb = starts[b] as string;
    if (sa !== sb) return sa < sb ? 1 : -1;
    const ia = ids[a] as string;
    const ib = ids[b] as string;
    return ia < ib ? 1 : ia > ib ? -1 : 0;
  });
  return order.map((i) => ids[i] as string);
}

/** Null when the runs directory has no manifest. */
export async function allStoreRuns(runsDir: string): Promise<AllRuns | null> {
  const before = manifestStamp(runsDir);
  const text = readManifestText(manifestFile(runsDir));
  if (text === null) return null;
  const doc = RowLines.parse(text);
  const ids = doc === null ? null : fromLines(doc.lines);
  if (doc !== null && ids !== null) {
    const stamp = before !== null && manifestStamp(runsDir) === before ? before : null;
    return { ids, matched: ids.length, total: doc.length, stamp };
  }
  const l = await listFromIndex(runsDir, {}, null);
  return l === null ? null : { ...l, stamp: null };
}
