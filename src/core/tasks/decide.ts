/**
 * The task engine: `decide(state, event) -> { next, effects }` (STYLE §1). Pure: no fs, git or
 * processes. The shell (src/tasks/loop.ts) performs each effect, records the resulting event in the
 * journal, and calls `decide` again; the reducer replays the same function to rebuild RUN.json.
 */
import { InternalError } from '../errors.js';
import type { TaskEvent, TaskEventOf, TaskEventType } from '../events/task.js';
import type { TaskState } from './state.js';
import type { Decision } from './phases/common.js';
import { onStarted } from './phases/start.js';
import { onPlanned } from './phases/plan.js';
import { onImplemented } from './phases/implement.js';
import { onVerified } from './phases/verify.js';
import { onReviewed } from './phases/review.js';
import { onCheckpointed } from './phases/checkpoint.js';
import { onStopped } from './phases/stopped.js';
import { onResumed } from './phases/resume.js';

export type { Decision } from './phases/common.js';

type Handler<T extends TaskEventType> = (s: TaskState, e: TaskEventOf<T>) => Decision;

const need =
  <T extends TaskEventType>(fn: Handler<T>) =>
  (s: TaskState | null, e: TaskEventOf<T>): Decision => {
    if (s === null) throw new InternalError(`${e.type} before task.started`);
    return fn(s, e);
  };

const HANDLERS = {
  'task.started': onStarted,
  'task.planned': need(onPlanned),
  'task.implemented': need(onImplemented),
  'task.verified': need(onVerified),
  'task.reviewed': need(onReviewed),
  'task.checkpointed': need(onCheckpointed),
  'task.stopped': need(onStopped),
  'task.resumed': need(onResumed),
} satisfies { [K in TaskEventType]: (s: TaskState | null, e: TaskEventOf<K>) => Decision };

export function decide(state: TaskState | null, event: TaskEvent): Decision {
  const handler = HANDLERS[event.type] as (s: TaskState | null, e: TaskEvent) => Decision;
  return handler(state, event);
}
