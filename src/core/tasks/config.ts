/**
 * Task-run sections of `.runr/runr.config.json` (DESIGN §6): agent, scope, verification, workers,
 * phases, limits. Pure schemas: `src/tasks/config.ts` reads the file, and
 * `schemas/runr.config.schema.json` is generated from these (test/tasks/config-schema.test.ts).
 */
import * as z from 'zod';
import { DEFAULT_DENYLIST, DEFAULT_LOCKFILES, SCOPE_PRESET_NAMES } from './presets.js';

const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), 'must be a path relative to the repository root')
  .refine((p) => !p.split(/[\\/]/).includes('..'), "must not contain '..'");

const glob = z.string().min(1).describe('picomatch glob, relative to the repository root');

export const AgentSectionSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
});

export const ScopeSectionSchema = z.object({
  /** Files the run may change. Empty (and no presets) = everything not denied. */
  allowlist: z.array(glob).default([]),
  /** Never allowed; checked before the allowlist. */
  denylist: z.array(glob).default([...DEFAULT_DENYLIST]),
  /** File names (any depth) or globs that need `--allow-deps`. */
  lockfiles: z.array(z.string().min(1)).default([...DEFAULT_LOCKFILES]),
  presets: z.array(z.enum(SCOPE_PRESET_NAMES)).default([]),
});

/** One command (a shell string as the user wrote it) or a list of them. */
const commands = z.union([z.string().min(1).transform((s) => [s]), z.array(z.string().min(1))]).default([]);

export const VerificationSectionSchema = z.object({
  tier0: commands,
  tier1: commands,
  tier2: commands,
  /** Directory (relative to the worktree root) the commands run in. */
  cwd: relPath.default('.'),
  /** Per command. */
  timeout_s: z.number().positive().default(600),
});

export const WORKER_ADAPTERS = ['claude', 'codex', 'command', 'scripted'] as const;
export type WorkerAdapter = (typeof WORKER_ADAPTERS)[number];
export const WORKER_OUTPUTS = ['text', 'json', 'jsonl', 'claude-json'] as const;
export type WorkerOutput = (typeof WORKER_OUTPUTS)[number];

export const WorkerConfigSchema = z.object({
  /** Default: the worker's name when it is `claude`, `codex` or `scripted`, else `command`. */
  adapter: z.enum(WORKER_ADAPTERS).optional(),
  /** Executable (name on PATH, or a path relative to the repository root). */
  command: z.string().min(1).optional(),
  /** Arguments (argv; never a shell string). Adapters have defaults. */
  args: z.array(z.string()).optional(),
  /** How to read stdout: plain text with BEGIN_JSON/END_JSON or a bare JSON object, `claude -p --output-format json`, or JSON lines. */
  output: z.enum(WORKER_OUTPUTS).optional(),
  /** Scripted worker: the script file (relative to the repository root). */
  script: relPath.optional(),
  /** Per call; the whole process group is killed when it runs out. Default 45 minutes. */
  timeout_s: z.number().positive().default(2700),
  /** Extra environment variables for the worker. */
  env: z.record(z.string(), z.string()).optional(),
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

const workerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'worker names use letters, digits, ".", "_" and "-"');

export const PhasesSectionSchema = z.object({
  plan: workerName.optional(),
  implement: workerName.optional(),
  review: workerName.optional(),
});

export const LimitsSectionSchema = z.object({
  /** A milestone stops after this many failed verifications (resume resets the count). */
  max_verify_retries: z.number().int().positive().default(3),
  /** Review may request changes at most this many times per milestone. */
  max_review_rounds: z.number().int().positive().default(2),
  /** Wall-clock budget per session (run or resume), minutes. Default: none. */
  time_budget_min: z.number().positive().nullable().default(null),
  /** Phase steps per session. */
  max_ticks: z.number().int().positive().default(100),
  /** A worker that prints nothing and changes no file for this long is killed with its process group (`stalled_timeout`). Default: off. */
  stall_timeout_s: z.number().positive().nullable().default(null),
});

export const GuardSectionSchema = z.object({
  /**
   * Run the repository's own hooks (those that existed, unchanged, when the session started) on
   * checkpoint commits (`--no-verify` already skips pre-commit and commit-msg). Hooks a worker
   * added or changed never run; false runs none at all. See docs/security.md.
   */
  user_hooks: z.boolean().default(true),
});

/**
 * The task sections, with defaults applied. Defaults are written out (zod does not parse a
 * default): building them with `.parse({})` at import time costs milliseconds of CLI start.
 */
export const TaskConfigSchema = z.object({
  agent: AgentSectionSchema.default({}),
  scope: ScopeSectionSchema.default(() => ({ allowlist: [], denylist: [...DEFAULT_DENYLIST], lockfiles: [...DEFAULT_LOCKFILES], presets: [] })),
  verification: VerificationSectionSchema.default(() => ({ tier0: [], tier1: [], tier2: [], cwd: '.', timeout_s: 600 })),
  workers: z.record(workerName, WorkerConfigSchema).default(() => ({ claude: { adapter: 'claude' as const, timeout_s: 2700 } })),
  phases: PhasesSectionSchema.default({}),
  limits: LimitsSectionSchema.default(() => ({ max_verify_retries: 3, max_review_rounds: 2, time_budget_min: null, max_ticks: 100, stall_timeout_s: null })),
  guard: GuardSectionSchema.default(() => ({ user_hooks: true })),
});
export type TaskConfig = z.infer<typeof TaskConfigSchema>;
export type TaskLimits = z.infer<typeof LimitsSectionSchema>;
export type ScopeConfig = z.infer<typeof ScopeSectionSchema>;
export type VerificationConfig = z.infer<typeof VerificationSectionSchema>;

export function workerAdapter(name: string, w: WorkerConfig): WorkerAdapter {
  if (w.adapter !== undefined) return w.adapter;
  if (name === 'claude' || name === 'codex' || name === 'scripted') return name;
  return 'command';
}

/** Worker names per phase: `phases.<p>`, else the only/first configured worker. */
export function phaseWorkers(cfg: TaskConfig): { plan: string; implement: string; review: string } {
  const first = Object.keys(cfg.workers)[0] ?? 'claude';
  return {
    plan: cfg.phases.plan ?? first,
    implement: cfg.phases.implement ?? first,
    review: cfg.phases.review ?? cfg.phases.plan ?? first,
  };
}

/** Problems the schema cannot express (cross-field); each `{field, problem}`. */
export function taskConfigProblems(cfg: TaskConfig): Array<{ field: string; problem: string }> {
  const out: Array<{ field: string; problem: string }> = [];
  for (const [name, w] of Object.entries(cfg.workers)) {
    const adapter = workerAdapter(name, w);
    if (adapter === 'command' && w.command === undefined) out.push({ field: `workers.${name}.command`, problem: 'required for a command worker' });
    if (adapter === 'scripted' && w.script === undefined) out.push({ field: `workers.${name}.script`, problem: 'required for a scripted worker' });
  }
  const pw = phaseWorkers(cfg);
  for (const phase of ['plan', 'implement', 'review'] as const) {
    if (!Object.hasOwn(cfg.workers, pw[phase])) out.push({ field: `phases.${phase}`, problem: `no worker named ${JSON.stringify(pw[phase])} in workers` });
  }
  return out;
}
