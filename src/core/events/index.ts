/**
 * The journal line: an envelope `{schema_version, seq, ts, prev}` plus one event of a closed union.
 * `prev` is the sha256 of the previous raw line (null for the first), so the chain can be audited.
 * Event families live in their own files; add a family's schemas to `EVENT_SCHEMAS`.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { WORKFLOW_EVENT_SCHEMAS } from './workflow.js';
import { TASK_EVENT_SCHEMAS } from './task.js';
import { OPS_EVENT_SCHEMAS } from './ops.js';
import { ORCH_EVENT_SCHEMAS } from './orchestration.js';
import { PIPELINE_EVENT_SCHEMAS } from './pipeline.js';

export const EVENT_SCHEMAS = [...WORKFLOW_EVENT_SCHEMAS, ...TASK_EVENT_SCHEMAS, ...OPS_EVENT_SCHEMAS, ...ORCH_EVENT_SCHEMAS, ...PIPELINE_EVENT_SCHEMAS] as const;

export const EventBodySchema = lazySchema(() => z.discriminatedUnion('type', EVENT_SCHEMAS));
export type EventBody = z.infer<typeof EventBodySchema>;
export type EventType = EventBody['type'];
export type EventOf<T extends EventType> = Extract<EventBody, { type: T }>;

export const EnvelopeSchema = lazySchema(() => z.object({
  schema_version: z.literal(1),
  seq: z.number().int().positive(),
  ts: z.string(),
  prev: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
}));

export const JournalEventSchema = lazySchema(() => z.intersection(EnvelopeSchema, EventBodySchema));
export type JournalEvent = z.infer<typeof EnvelopeSchema> & EventBody;
