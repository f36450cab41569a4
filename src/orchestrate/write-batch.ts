/**
 * Serialized writes that batch: items pushed while one write is in flight go together in the next
 * (for the orchestration journal: one append and one flush for all of them). Each `push` resolves
 * once its item is written, or rejects with the write's error; `idle()` waits for the loop to drain.
 */
export class WriteBatch<T> {
  private batch: Array<{ item: T; done: (err: Error | null) => void }> = [];
  private loop: Promise<void> = Promise.resolve();
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    /** Called after every write, written or failed. */
    private readonly after: () => void,
  ) {}

  push(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.batch.push({ item, done: (err) => (err === null ? resolve() : reject(err)) });
      if (!this.writing) {
        this.writing = true;
        this.loop = this.drain();
      }
    });
  }

  idle(): Promise<void> {
    return this.loop;
  }

  private async drain(): Promise<void> {
    try {
      while (this.batch.length > 0) {
        const b = this.batch.splice(0);
        try {
          await this.write(b.map((x) => x.item));
          for (const x of b) x.done(null);
        } catch (err) {
          const e = err instanceof Error ? err : new Error(typeof err === 'string' ? err : 'the journal write failed');
          for (const x of b) x.done(e);
        }
        this.after();
      }
    } finally {
      this.writing = false;
    }
  }
}
