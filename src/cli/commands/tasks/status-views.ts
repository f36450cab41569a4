/** The items of `runr status --all --json`, as the view cache stores them (run/stream-listing.ts). */
import { statusView } from '../../../core/tasks/views.js';
import { VERSION } from '../../../core/version.js';
import type { ViewSource } from '../../../manifest/views/stream.js';
import type { RunStore } from '../../../store/run-store.js';
import { reconcileIfDead } from '../../../tasks/reconcile.js';
import { runAlive } from '../../../tasks/run-lock.js';
import { formatItem } from '../../json-stream.js';
import { rendered } from '../run/stream-listing.js';

/** Bump when the view's shape changes: caches of another shape are ignored. */
const SHAPE = 1;

export function statusViewSource(store: RunStore): ViewSource {
  return {
    name: 'status',
    renderer: `runr ${VERSION} status ${SHAPE}`,
    render: (id) =>
      rendered(async () => {
        const run = await reconcileIfDead(store, store.load(id).run);
        const view = statusView(run, runAlive(store, run.run_id));
        // Only a RUNNING task run's view depends on more than its record (its process's lock).
        return { text: formatItem(view), cacheable: !(run.kind === 'task' && run.status === 'RUNNING') };
      }),
  };
}
