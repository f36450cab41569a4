/**
 * Tail one append-only journal file (record/events.jsonl): read the complete lines appended since
 * the last read, and sleep until the file changes. Change notification is event driven
 * (`fs.watch`: inotify on Linux, FSEvents on macOS) so an append is noticed in milliseconds and an
 * idle tail costs nothing; when watching is unavailable (some network or container file systems,
 * inotify limits) it falls back to polling the file's size every `pollMs`. A torn last line (a
 * writer mid-append) is left for the next read: only lines ending in a newline are consumed.
 */
import fs from 'node:fs';
import { ValidationError } from '../core/errors.js';
import type { JournalEvent } from '../core/events/index.js';
import { JournalEventSchema } from '../core/events/index.js';
import { formatZodIssue } from '../core/zod-format.js';

export interface JournalTailOptions {
  /** Use file-system events (default true); false = poll only. */
  watch?: boolean;
  /** Polling interval of the fallback (ms). */
  pollMs?: number;
  /** Name of the file in error messages. */
  display?: string;
}

export const DEFAULT_POLL_MS = 200;

export class JournalTail {
  private offset = 0;
  private lineNo = 0;
  private watcher: fs.FSWatcher | null = null;
  private wake: (() => void) | null = null;
  private changed = false;
  private readonly display: string;
  private readonly pollMs: number;
  private wantWatch: boolean;
  /** Whether file-system events are in use (false: polling). */
  watching = false;

  constructor(
    readonly file: string,
    opts: JournalTailOptions = {},
  ) {
    this.display = opts.display ?? file;
    this.pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
    this.wantWatch = opts.watch !== false;
    if (this.wantWatch) this.startWatching();
  }

  private startWatching(): void {
    try {
      this.watcher = fs.watch(this.file, { persistent: true }, () => this.notify());
      this.watcher.on('error', () => {
        // The file went away or the watch broke: fall back to polling.
        this.stopWatching();
        this.notify();
      });
      this.watching = true;
    } catch {
      this.watcher = null;
      this.watching = false;
    }
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = null;
    this.watching = false;
  }

  private notify(): void {
    this.changed = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Complete lines appended since the last call, validated. */
  read(): JournalEvent[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    let chunk: Buffer;
    try {
      const size = fs.fstatSync(fd).size;
      // A writer cut off a torn tail we had not consumed (we only consume whole lines): nothing lost.
      if (size < this.offset) this.offset = size;
      if (size === this.offset) return [];
      chunk = Buffer.alloc(size - this.offset);
      const n = fs.readSync(fd, chunk, 0, chunk.length, this.offset);
      chunk = chunk.subarray(0, n);
    } finally {
      fs.closeSync(fd);
    }
    const lastNl = chunk.lastIndexOf(0x0a);
    if (lastNl === -1) return [];
    const complete = chunk.subarray(0, lastNl + 1);
    this.offset += complete.length;
    const text = complete.toString('utf8');
    const events: JournalEvent[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      this.lineNo += 1;
      events.push(this.parse(line));
    }
    // The journal may not have existed when the tail was created: watch it once it does.
    if (this.wantWatch && this.watcher === null) this.startWatching();
    return events;
  }

  private parse(line: string): JournalEvent {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new ValidationError(this.display, `line ${this.lineNo}`, 'not valid JSON');
    }
    const r = JournalEventSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      const f = issue ? formatZodIssue(issue, raw) : null;
      throw new ValidationError(this.display, `line ${this.lineNo}${f && f.field !== '' ? `.${f.field}` : ''}`, f ? f.problem : 'invalid event');
    }
    return r.data as JournalEvent;
  }

  /**
   * Resolve when the file changed (an fs event) or after `maxMs` (when watching), or after the
   * poll interval (when polling), whichever comes first; early on abort.
   */
  waitForChange(maxMs: number, signal?: AbortSignal): Promise<void> {
    if (this.changed) {
      this.changed = false;
      return Promise.resolve();
    }
    const ms = this.watching ? maxMs : Math.min(maxMs, this.pollMs);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = null;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wake = done;
      if (signal?.aborted === true) done();
      else signal?.addEventListener('abort', done, { once: true });
    });
  }

  close(): void {
    this.wantWatch = false;
    this.stopWatching();
    this.notify();
  }
}
