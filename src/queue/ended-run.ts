/**
 * A later attempt restores the record an earlier attempt pushed with its last checkpoint. If that
 * record already shows the run ended (the earlier attempt's run finished, then its worker lost the
 * lease before it could write the outcome), the run is not resumed: its end, as the record says it,
 * is the attempt's result — a complete run stays complete, a stopped one keeps its stop reason.
 * Only a record that is still running (or was interrupted) is resumed.
 */
import { taskStateOf } from '../core/tasks/record.js';
import { openProject } from '../store/project.js';
import { storeFor } from '../store/open-store.js';

export interface EndedRun {
  run_dir: string;
  reason: string;
  detail: string | null;
}

export function endedInRecord(cwd: string, runId: string): EndedRun | null {
  const store = storeFor(openProject(cwd));
  const run = store.load(runId).run;
  const state = taskStateOf(run);
  if (run.status === 'RUNNING' || state === null || state.stop_reason === null || state.stop_reason === 'interrupted') return null;
  return { run_dir: store.runDir(runId), reason: state.stop_reason, detail: state.stop_detail };
}
