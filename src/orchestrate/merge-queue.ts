/**
 * The merge queue: completed tasks land in the order they completed. Whatever completed while the
 * previous landing ran lands next, together (one verified merge, land.ts), or, when that does not go
 * cleanly or only one is queued, one at a time. One lander runs at a time; `idle()` waits for it.
 */
import type { LandItem } from './land.js';

export interface MergeQueueSteps<A> {
  /** Land these in one verified merge; false when that did not go cleanly (nothing landed). */
  together(items: readonly LandItem[]): Promise<boolean>;
  /** Land one item. */
  one(item: LandItem): Promise<void>;
  /** The orchestrator was interrupted: what is still queued is not landed. */
  aborted(): boolean;
  log(line: string): void;
  /** An item has been dealt with (landed, refused or left for resume). */
  settled(owner: A | null): void;
}

export class MergeQueue<A> {
  private queue: Array<{ item: LandItem; owner: A | null }> = [];
  private lander: Promise<void> = Promise.resolve();
  private running = false;
  private pending = 0;

  constructor(private readonly steps: MergeQueueSteps<A>) {}

  /** Items queued or landing. */
  get size(): number {
    return this.pending;
  }

  push(item: LandItem, owner: A | null): void {
    this.pending++;
    this.queue.push({ item, owner });
    if (this.running) return;
    this.running = true;
    this.lander = this.drain().finally(() => {
      this.running = false;
    });
  }

  idle(): Promise<void> {
    return this.lander;
  }

  private async drain(): Promise<void> {
    const s = this.steps;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      let together = false;
      if (batch.length > 1 && !s.aborted()) {
        together = await s
          .together(batch.map((b) => b.item))
          .catch((err: unknown) => {
            s.log(`landing ${batch.length} queued tasks together failed (${messageOf(err)}); landing them one at a time`);
            return false;
          });
      }
      for (const b of batch) {
        if (!together && !s.aborted()) {
          await s.one(b.item).catch((err: unknown) => s.log(`${b.item.track}: landing failed: ${messageOf(err)}`));
        }
        this.pending--;
        s.settled(b.owner);
      }
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
