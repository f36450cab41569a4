import { describe, expect, it } from 'vitest';
import type { LandItem } from '../../src/orchestrate/land.js';
import { MergeQueue } from '../../src/orchestrate/merge-queue.js';

const item = (track: string): LandItem => ({ track, index: 0, known: null });

/** A landing step that waits until the test lets it go, so items can queue up behind it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

function fakeSteps(opts: { together?: boolean | Error; aborted?: () => boolean; first?: Promise<void> }) {
  const calls: string[] = [];
  const logs: string[] = [];
  const settled: Array<string | null> = [];
  let firstDone = false;
  return {
    calls,
    logs,
    settled,
    steps: {
      together: (items: readonly LandItem[]): Promise<boolean> => {
        calls.push(`together:${items.map((i) => i.track).join(',')}`);
        if (opts.together instanceof Error) return Promise.reject(opts.together);
        return Promise.resolve(opts.together ?? true);
      },
      one: async (i: LandItem): Promise<void> => {
        calls.push(`one:${i.track}`);
        if (!firstDone && opts.first !== undefined) {
          firstDone = true;
          await opts.first;
        }
        if (i.track === 'bad') throw new Error('merge refused');
      },
      aborted: opts.aborted ?? ((): boolean => false),
      log: (l: string): void => {
        logs.push(l);
      },
      settled: (owner: string | null): void => {
        settled.push(owner);
      },
    },
  };
}

describe('the merge queue', () => {
  it('lands a lone item on its own, and what queued behind it together', async () => {
    const g = gate();
    const f = fakeSteps({ first: g.wait });
    const q = new MergeQueue<string>(f.steps);
    q.push(item('a'), 'A');
    q.push(item('b'), 'B');
    q.push(item('c'), null);
    expect(q.size).toBe(3);
    g.open();
    await q.idle();
    expect(f.calls).toEqual(['one:a', 'together:b,c']);
    expect(f.settled).toEqual(['A', 'B', null]);
    expect(q.size).toBe(0);
  });

  it('falls back to one at a time, in order, when landing together does not go cleanly', async () => {
    for (const together of [false, new Error('dry-run failed')]) {
      const g = gate();
      const f = fakeSteps({ together, first: g.wait });
      const q = new MergeQueue<string>(f.steps);
      q.push(item('a'), 'A');
      q.push(item('b'), 'B');
      q.push(item('bad'), 'X');
      q.push(item('d'), 'D');
      g.open();
      await q.idle();
      expect(f.calls).toEqual(['one:a', 'together:b,bad,d', 'one:b', 'one:bad', 'one:d']);
      expect(f.settled).toEqual(['A', 'B', 'X', 'D']);
      // A failed landing is logged and does not stop the ones after it.
      expect(f.logs.some((l) => l.startsWith('bad: landing failed: merge refused'))).toBe(true);
      expect(f.logs.some((l) => l.includes('together failed (dry-run failed)'))).toBe(together instanceof Error);
    }
  });

  it('lands nothing more once interrupted, but settles every item', async () => {
    const g = gate();
    let aborted = false;
    const f = fakeSteps({ first: g.wait, aborted: () => aborted });
    const q = new MergeQueue<string>(f.steps);
    q.push(item('a'), 'A');
    q.push(item('b'), 'B');
    q.push(item('c'), 'C');
    aborted = true;
    g.open();
    await q.idle();
    expect(f.calls).toEqual(['one:a']);
    expect(f.settled).toEqual(['A', 'B', 'C']);
    expect(q.size).toBe(0);
  });

  it('starts a new lander for an item pushed after the queue drained', async () => {
    const f = fakeSteps({});
    const q = new MergeQueue<string>(f.steps);
    q.push(item('a'), 'A');
    await q.idle();
    q.push(item('b'), 'B');
    await q.idle();
    expect(f.calls).toEqual(['one:a', 'one:b']);
  });
});
