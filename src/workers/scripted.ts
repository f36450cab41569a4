/**
 * The scripted worker: follows a script file instead of calling a model. It ships for the demo and
 * the tests and is selected by configuration like any other worker
 * (`workers: {scripted: {adapter: "scripted", script: ".runr/demo.script.json"}}`), never by an
 * environment switch. It runs in-process (no CLI start per call), writes the files the script
 * lists for the milestone and attempt, and answers what the script says.
 *
 * Script (validated; paths relative to the worktree):
 *   { "plan": {milestones:[…]} | [answer by attempt…],
 *     "milestones": { "m1": { "implement": [step by attempt…], "review": [answer by round…] } },
 *     "default": { "implement": [step…], "review": [answer…] },
 *     "tasks": { "<task file name>": { plan, milestones, default } } }
 * `tasks` lets one script serve several task files (the demo's three tasks): the entry named after
 * the run's task file (its base name or repository-relative path) replaces the top level.
 * A step: { write?: {path: text}, append?: {path: text}, delete?: [path], symlink?: {path: target},
 *           sleep_ms?, until_exists? (end the sleep early once this file exists: a test's handle on
 *           "the worker is busy until I say so"; absolute or relative to the worktree),
 *           status? (default ok), memo?, raw? (answer this text instead of JSON),
 *           raw_first? (raw only before the JSON-only reminder) }
 * The n-th call uses entry n (the last entry repeats). A missing review answer approves.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { readJsonFile } from '../store/read-json.js';
import type { Worker, WorkerOutcome, WorkerRequest } from './types.js';
import { extractJson } from './protocol.js';

const Raw = { raw: z.string().optional(), raw_first: z.boolean().optional(), sleep_ms: z.number().int().nonnegative().optional(), until_exists: z.string().min(1).optional() };

export const ScriptStepSchema = z.object({
  write: z.record(z.string(), z.string()).optional(),
  append: z.record(z.string(), z.string()).optional(),
  delete: z.array(z.string()).optional(),
  symlink: z.record(z.string(), z.string()).optional(),
  mkdir: z.array(z.string()).optional(),
  status: z.enum(['ok', 'blocked', 'failed', 'no_changes_needed']).default('ok'),
  memo: z.string().optional(),
  ...Raw,
});
export type ScriptStep = z.infer<typeof ScriptStepSchema>;

const AnswerSchema = z.looseObject({ ...Raw });
const oneOrMany = <T extends z.ZodType>(s: T) => z.union([s.transform((v) => [v]), z.array(s).min(1)]);

const ScriptBodySchema = z.object({
  plan: oneOrMany(AnswerSchema).optional(),
  milestones: z.record(z.string(), z.object({ implement: oneOrMany(ScriptStepSchema).optional(), review: oneOrMany(AnswerSchema).optional() })).default({}),
  default: z.object({ implement: oneOrMany(ScriptStepSchema).optional(), review: oneOrMany(AnswerSchema).optional() }).default({}),
});
type ScriptBody = z.infer<typeof ScriptBodySchema>;
export const ScriptSchema = ScriptBodySchema.extend({ tasks: z.record(z.string(), ScriptBodySchema).default({}) });
export type Script = z.infer<typeof ScriptSchema>;

function bodyFor(script: Script, task: string): ScriptBody {
  return script.tasks[task] ?? script.tasks[path.basename(task)] ?? script;
}

export function loadScript(file: string, display: string): Script {
  return readJsonFile(file, ScriptSchema, display);
}

function pick<T>(list: readonly T[] | undefined, n: number): T | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return list[Math.min(n, list.length) - 1];
}

function inside(cwd: string, rel: string): string {
  if (path.isAbsolute(rel)) throw new Error(`scripted worker: ${rel}: paths must be relative to the worktree`);
  return path.join(cwd, rel);
}

function applyStep(cwd: string, step: ScriptStep): void {
  for (const d of step.mkdir ?? []) fs.mkdirSync(inside(cwd, d), { recursive: true });
  for (const [rel, text] of Object.entries(step.write ?? {})) {
    const abs = inside(cwd, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  for (const [rel, text] of Object.entries(step.append ?? {})) {
    const abs = inside(cwd, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.appendFileSync(abs, text);
  }
  for (const rel of step.delete ?? []) fs.rmSync(inside(cwd, rel), { force: true, recursive: true });
  for (const [rel, target] of Object.entries(step.symlink ?? {})) {
    const abs = inside(cwd, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.rmSync(abs, { force: true });
    fs.symlinkSync(target, abs);
  }
}

/** Sleep that ends early on abort or timeout; says which. */
function sleep(ms: number, req: WorkerRequest, started: number, until: string | null): Promise<'done' | 'timeout' | 'canceled'> {
  const budget = req.timeoutMs - (Date.now() - started);
  return new Promise((resolve) => {
    if (req.signal.aborted) return resolve('canceled');
    const finish = (r: 'done' | 'timeout' | 'canceled') => {
      clearTimeout(t);
      if (poll !== undefined) clearInterval(poll);
      req.signal.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = () => finish('canceled');
    const t = setTimeout(() => finish(ms <= budget ? 'done' : 'timeout'), Math.max(0, Math.min(ms, budget)));
    const poll = until === null ? undefined : setInterval(() => fs.existsSync(until) && finish('done'), 50);
    req.signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class ScriptedWorker implements Worker {
  readonly adapter = 'scripted';
  constructor(
    readonly name: string,
    private readonly script: Script,
  ) {}

  async call(req: WorkerRequest): Promise<WorkerOutcome> {
    const started = Date.now();
    const script = bodyFor(this.script, req.task);
    const m = req.milestoneId === null ? undefined : script.milestones[req.milestoneId];
    let answer: Record<string, unknown> & { raw?: string; raw_first?: boolean; sleep_ms?: number; until_exists?: string };
    let step: ScriptStep | undefined;
    switch (req.phase) {
      case 'PLAN':
        answer = pick(script.plan, req.attempt) ?? { milestones: [] };
        break;
      case 'IMPLEMENT': {
        step = pick(m?.implement ?? script.default.implement, req.attempt) ?? ScriptStepSchema.parse({});
        answer = { status: step.status, handoff_memo: step.memo ?? '', ...(step.raw !== undefined ? { raw: step.raw } : {}), ...(step.raw_first !== undefined ? { raw_first: step.raw_first } : {}) };
        break;
      }
      case 'REVIEW':
        answer = pick(m?.review ?? script.default.review, req.attempt) ?? { status: 'approve', changes: [] };
        break;
    }
    const sleepMs = step?.sleep_ms ?? answer.sleep_ms ?? 0;
    if (sleepMs > 0) {
      const until = step?.until_exists ?? answer.until_exists;
      const r = await sleep(sleepMs, req, started, until === undefined ? null : path.resolve(req.cwd, until));
      if (r !== 'done') return { kind: r, durationMs: Date.now() - started };
    }
    if (step !== undefined && !req.reminder) applyStep(req.cwd, step);
    const { raw, raw_first: rawFirst, sleep_ms: _s, until_exists: _u, ...json } = answer;
    const text = raw !== undefined && !(rawFirst === true && req.reminder) ? raw : `BEGIN_JSON\n${JSON.stringify(json)}\nEND_JSON\n`;
    fs.appendFileSync(req.logFile, `--- scripted ${req.phase}${req.milestoneId ? ` ${req.milestoneId}` : ''} attempt ${req.attempt}${req.reminder ? ' (reminder)' : ''}\n${req.redact(text)}\n`);
    const value = extractJson(text);
    const durationMs = Date.now() - started;
    return value === undefined ? { kind: 'unparsable', tail: req.redact(text.slice(-500)), durationMs } : { kind: 'answered', value, durationMs };
  }
}
