/**
 * Work a reader started and did not wait for (the manifest entry of a run it repaired, see
 * repair-finished.ts). The CLI settles it before a command ends, so nothing is cut off at exit.
 */
const pending = new Set<Promise<unknown>>();

export function trackBackground(p: Promise<unknown>): void {
  pending.add(p);
  const done = () => void pending.delete(p);
  p.then(done, done);
}

/** Wait for everything tracked so far (and anything it starts meanwhile). Never rejects. */
export async function settleBackground(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
