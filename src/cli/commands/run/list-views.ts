/** The items of `runr run list --json`, as the view cache stores them (stream-listing.ts). */
import { VERSION } from '../../../core/version.js';
import type { ViewSource } from '../../../manifest/views/stream.js';
import type { RunStore } from '../../../store/run-store.js';
import type { RunSummary } from '../../../store/run-summaries.js';
import { summaryOf } from '../../../store/run-summaries.js';
import { formatItem } from '../../json-stream.js';
import { rendered } from './stream-listing.js';

/** Bump when the item's shape changes: caches of another shape are ignored. */
const SHAPE = 1;

export function listItem(r: RunSummary): Record<string, unknown> {
  return {
    run_id: r.run_id,
    kind: r.kind ?? 'workflow',
    workflow: r.workflow.name,
    slug: r.workflow.slug,
    status: r.status,
    ...(typeof r.stop_reason === 'string' ? { stop_reason: r.stop_reason } : {}),
    started_at: r.started_at,
    finished_at: r.finished_at,
    gates: r.gates.map((g) => ({ gate: g.gate, status: g.status, attempts: g.attempts.length })),
  };
}

/** `shown`: what a run really is (a dead task run that says RUNNING is shown stopped). */
export function listViewSource(store: RunStore, shown: (r: RunSummary) => RunSummary): ViewSource {
  return {
    name: 'list',
    renderer: `runr ${VERSION} list ${SHAPE}`,
    render: (id) =>
      rendered(() => {
        const s = summaryOf(store, id);
        // A RUNNING task run's item depends on its process (alive or not): never cached.
        return Promise.resolve({ text: formatItem(listItem(shown(s))), cacheable: !(s.kind === 'task' && s.status === 'RUNNING') });
      }),
  };
}
