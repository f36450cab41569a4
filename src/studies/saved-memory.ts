/**
 * A memory of entries by absolute path that a batch's cache file (hash-cache.ts) saves and gives
 * back: what this process found itself wins over a saved entry, and `dirty` says whether a save
 * would change the file. The file hashes (hash-paths.ts) and the remembered verdicts
 * (state-memo.ts) are both one.
 */
export class SavedMemory<E> {
  protected readonly memory = new Map<string, E>();
  protected changed = false;

  /** Entries from a saved cache (absolute path → entry); what this process found itself wins. */
  remember(entries: Iterable<[string, E]>): void {
    for (const [abs, e] of entries) if (!this.memory.has(abs)) this.memory.set(abs, e);
  }

  /** Whether anything was remembered anew or forgotten (a saved cache would change). */
  get dirty(): boolean {
    return this.changed;
  }

  /** Every remembered entry (absolute path → entry). */
  entries(): IterableIterator<[string, E]> {
    return this.memory.entries();
  }
}
