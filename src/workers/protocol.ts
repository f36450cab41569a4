/**
 * Reading a worker's answer (DESIGN §6). In order of preference:
 *   1. the file named by RUNR_RESULT_FILE, if the worker wrote it;
 *   2. the last JSON object between `BEGIN_JSON` and `END_JSON` (the peer's protocol);
 *   3. the whole output, if it is one JSON object;
 *   4. the last fenced ```json block.
 * `claude -p --output-format json` wraps the text in `{type:"result", result, usage}` and
 * `codex exec --json` prints JSON lines; both are unwrapped to the agent's text first.
 */
import type { WorkerOutput } from '../core/tasks/config.js';

export interface Usage {
  tokens_in: number;
  tokens_out: number;
  cost_usd?: number;
}

export interface Unwrapped {
  text: string;
  usage?: Usage;
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Find the answer object in a text. Returns undefined when there is none. */
export function extractJson(text: string): Record<string, unknown> | undefined {
  const markers = [...text.matchAll(/BEGIN_JSON\s*([\s\S]*?)\s*END_JSON/g)];
  for (let i = markers.length - 1; i >= 0; i--) {
    const body = (markers[i]?.[1] ?? '').replace(/^```(?:json)?\s*|\s*```$/g, '');
    const v = tryJson(body);
    if (isObject(v)) return v;
  }
  const whole = tryJson(text.trim());
  if (isObject(whole)) return whole;
  const fences = [...text.matchAll(/```json\s*([\s\S]*?)```/g)];
  for (let i = fences.length - 1; i >= 0; i--) {
    const v = tryJson(fences[i]?.[1] ?? '');
    if (isObject(v)) return v;
  }
  return undefined;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function usageOf(u: unknown, cost?: unknown): Usage | undefined {
  if (!isObject(u)) return undefined;
  const tokensIn = num(u.input_tokens) + num(u.cache_read_input_tokens) + num(u.cache_creation_input_tokens);
  const out: Usage = { tokens_in: tokensIn, tokens_out: num(u.output_tokens) };
  if (typeof cost === 'number') out.cost_usd = cost;
  return out;
}

/** Turn raw stdout into the agent's text (and token usage when the CLI reports it). */
export function unwrapOutput(stdout: string, kind: WorkerOutput): Unwrapped {
  switch (kind) {
    case 'text':
    case 'json':
      return { text: stdout };
    case 'claude-json': {
      const v = tryJson(stdout.trim());
      if (isObject(v) && typeof v.result === 'string') {
        const usage = usageOf(v.usage, v.total_cost_usd);
        return usage === undefined ? { text: v.result } : { text: v.result, usage };
      }
      return { text: stdout };
    }
    case 'jsonl': {
      let last: string | null = null;
      let usage: Usage | undefined;
      for (const line of stdout.split('\n')) {
        const v = tryJson(line.trim());
        if (!isObject(v)) continue;
        const text = agentText(v);
        if (text !== null) last = text;
        const u = usageOf(v.usage) ?? (isObject(v.msg) ? usageOf(v.msg.usage) : undefined);
        if (u !== undefined) usage = u;
      }
      const text = last ?? stdout;
      return usage === undefined ? { text } : { text, usage };
    }
  }
}

/** Codex JSON lines: `{type:"item.completed", item:{type:"agent_message", text}}` or `{msg:{type:"agent_message", message}}`. */
function agentText(v: Record<string, unknown>): string | null {
  const item = isObject(v.item) ? v.item : null;
  if (item !== null && item.type === 'agent_message' && typeof item.text === 'string') return item.text;
  const msg = isObject(v.msg) ? v.msg : null;
  if (msg !== null && msg.type === 'agent_message' && typeof msg.message === 'string') return msg.message;
  return null;
}

/** Appended to the prompt when the first answer did not parse. */
export const JSON_ONLY_REMINDER =
  '\n\nIMPORTANT: your previous answer could not be read. Reply with JSON only: one JSON object between a line `BEGIN_JSON` and a line `END_JSON`, exactly in the shape described above, and nothing else.\n';
