/**
 * Live mode (`runr view --serve`): the server pushes, for every new journal event, the event and
 * the run's updated entry and detail (server-sent events). The page replaces the run's data and
 * redraws what is on screen.
 */
import type { ManifestEntry } from '../core/manifest/entry.js';
import type { RunDetail } from '../core/view/model.js';
import { isManifestEntry, isRunDetail } from '../core/view/check.js';

export interface LiveMessage {
  run_id: string;
  events: Array<{ seq: number; ts: string; type: string }>;
  entry: ManifestEntry;
  detail: RunDetail | null;
}

function isLiveMessage(v: unknown): v is LiveMessage {
  if (v === null || typeof v !== 'object' || !('run_id' in v && 'events' in v && 'entry' in v && 'detail' in v)) return false;
  return typeof v.run_id === 'string' && Array.isArray(v.events) && isManifestEntry(v.entry) && (v.detail === null || isRunDetail(v.detail));
}

export function startLive(url: string, indicator: HTMLElement, onRun: (entry: ManifestEntry, detail: RunDetail | null) => void): void {
  const source = new EventSource(url);
  const say = (text: string, live: boolean) => {
    indicator.textContent = '';
    if (live) {
      const dot = document.createElement('span');
      dot.className = 'live-dot';
      indicator.appendChild(dot);
    }
    indicator.appendChild(document.createTextNode(text));
  };
  say('connecting…', false);
  source.addEventListener('open', () => say('live', true));
  source.addEventListener('error', () => say('reconnecting…', false));
  source.addEventListener('run', (ev) => {
    if (!(ev instanceof MessageEvent)) return;
    const msg: unknown = JSON.parse(String(ev.data));
    if (!isLiveMessage(msg)) throw new Error('runr page: a live message without the shape {run_id, events, entry, detail}');
    const last = msg.events[msg.events.length - 1];
    say(`live · ${msg.run_id.slice(0, 28)}… ${last !== undefined ? `${last.type} #${last.seq}` : ''}`, true);
    onRun(msg.entry, msg.detail);
  });
}
