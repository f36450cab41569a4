/**
 * Which tasks may start now (pure). Within a track tasks run one after another, each from the
 * previous one's last checkpoint: the next starts as soon as the previous one has completed (its
 * landing on the integration branch runs meanwhile; should it not land, the track stops and the
 * next task is stopped with it). Across tracks, at most `max_parallel` tracks are busy at once —
 * running, waiting or landing a task; a track that is only landing may start its next task
 * without taking another slot.
 */
import type { OrchestrationState, OrchTrack } from './state.js';
import { trackOutcome } from './state.js';

export function nextStarts(s: OrchestrationState, activeTracks: ReadonlySet<string>): Array<{ track: string; task_index: number }> {
  const running = (t: OrchTrack) => activeTracks.has(t.id) || t.tasks.some((k) => k.state === 'running' || k.state === 'waiting');
  const landing = (t: OrchTrack) => t.tasks.some((k) => k.state === 'complete');
  let slots = s.max_parallel - s.tracks.filter((t) => running(t) || landing(t)).length;
  const out: Array<{ track: string; task_index: number }> = [];
  for (const t of s.tracks) {
    if (running(t) || trackOutcome(t) !== 'active') continue;
    const idx = t.tasks.findIndex((k) => k.state !== 'landed' && k.state !== 'complete');
    const task = t.tasks[idx];
    if (task === undefined || task.state !== 'pending') continue;
    if (!landing(t)) {
      if (slots <= 0) continue;
      slots--;
    }
    out.push({ track: t.id, task_index: idx });
  }
  return out;
}
