/**
 * Which tasks may start now (pure). Within a track tasks run one after another: the next starts
 * only when the previous one has landed (it builds on that work). Across tracks, at most
 * `max_parallel` tracks are busy at once — running, waiting or landing a task.
 */
import type { OrchestrationState } from './state.js';
import { trackOutcome } from './state.js';

export function nextStarts(s: OrchestrationState, activeTracks: ReadonlySet<string>): Array<{ track: string; task_index: number }> {
  const busy = (id: string) => activeTracks.has(id) || (s.tracks.find((t) => t.id === id)?.tasks.some((k) => k.state === 'complete' || k.state === 'running' || k.state === 'waiting') ?? false);
  let slots = s.max_parallel - s.tracks.filter((t) => busy(t.id)).length;
  const out: Array<{ track: string; task_index: number }> = [];
  for (const t of s.tracks) {
    if (slots <= 0) break;
    if (busy(t.id) || trackOutcome(t) !== 'active') continue;
    const idx = t.tasks.findIndex((k) => k.state !== 'landed');
    const task = t.tasks[idx];
    if (task === undefined || task.state !== 'pending') continue;
    out.push({ track: t.id, task_index: idx });
    slots--;
  }
  return out;
}
