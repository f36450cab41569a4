/** Orchestration journal events as human lines (`runr follow`, `runr orchestrate follow`); pure. */
import type { OrchEventOf, OrchEventType } from '../events/orchestration.js';

type Describe<T extends OrchEventType> = (e: OrchEventOf<T>) => string[];

export const ORCH_DESCRIBE: { [K in OrchEventType]: Describe<K> } = {
  'orch.started': (e) => [`orchestration started: ${e.tracks.length} tracks, policy ${e.policy}, up to ${e.max_parallel} at once, landing on ${e.integration_branch}`],
  'orch.task_started': (e) => [`${e.track}: task ${e.task_index + 1} started as ${e.run_id} (from ${e.base.slice(0, 12)})`],
  'orch.task_resumed': (e) => [`${e.track}: task ${e.task_index + 1} resumed (${e.run_id})`],
  'orch.task_abandoned': (e) => [`${e.track}: ${e.run_id} never started (${e.detail}); task ${e.task_index + 1} starts afresh`],
  'orch.checkpoint': (e) => [`${e.track}: checkpoint ${e.sha.slice(0, 12)} (${e.changed.length} files changed so far, ${e.dry_runs} merge dry-runs in ${e.dry_run_ms.toFixed(0)} ms)`],
  'orch.collision': (e) => [`${e.track}: collision (${e.kind}) with ${e.other ?? 'the integration branch'} on ${e.files.slice(0, 10).join(', ')}${e.checkpoint !== null ? ` after checkpoint ${e.checkpoint.sha.slice(0, 12)} of ${e.checkpoint.track}` : ''} → ${e.action}`],
  'orch.unblocked': (e) => [`${e.track}: continues${e.synced_to !== null ? ` on top of ${e.synced_to.slice(0, 12)}` : ''}`],
  'orch.task_finished': (e) => [`${e.track}: task ${e.task_index + 1} ${e.stop_reason === 'complete' ? 'complete' : `stopped: ${e.stop_reason}${e.detail !== null ? ` — ${e.detail}` : ''}`}`],
  'orch.landed': (e) => [`${e.track}: landed #${e.order} (${e.integration_head.slice(0, 12)}, ${e.verification.length} verification commands green)`],
  'orch.land_failed': (e) => [`${e.track}: not landed: ${e.reason} — ${e.detail}`],
  'orch.resumed': (e) => [`orchestration resumed (session ${e.session})`],
  'orch.stopped': (e) => [`orchestration stopped: ${e.reason} — ${e.detail}`],
  'orch.completed': () => ['orchestration finished'],
};
