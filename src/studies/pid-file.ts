/**
 * The stage pid file (`logs/stage.pid.json`, variant-state.ts PID_FILE): which stage process runs
 * now, so a `batch run` after a kill -9 of runr can refuse to start a second copy (orphanStage).
 *
 * Kept in place rather than replaced and removed per stage: every file created and deleted costs
 * an inode allocation, which on a busy ext4 (many recently deleted inodes to skip) was one of the
 * largest costs of a stage. The file is emptied when no stage runs; a stage's record is written
 * with one `write` of less than a page into the empty file, so a reader (or a runr killed
 * mid-write) sees either nothing or the whole record, never part of one. An empty or unparsable
 * file means "no stage running". (A record is some 100 bytes: stage name, pid, host, execution.)
 */
import fs from 'node:fs';

export interface StagePid {
  stage: string;
  pid: number;
  host: string;
  execution: number;
}

/** Record the running stage (the file is empty or missing before: see `clearStagePid`). */
export function writeStagePid(file: string, rec: StagePid): void {
  const bytes = Buffer.from(JSON.stringify(rec), 'utf8');
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o644);
  try {
    // Left by a runr killed mid-stage (its process is gone, or batch run would have refused).
    if (fs.fstatSync(fd).size > 0) fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    fs.closeSync(fd);
  }
}

/** No stage runs now: empty the file (kept for the next stage). */
export function clearStagePid(file: string): void {
  try {
    fs.truncateSync(file, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
