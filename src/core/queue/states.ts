/**
 * The registry's run states and the transitions between them. The registry (runr's `runs` table,
 * or its Redis twin) is the source of truth for where each queued run is; BullMQ only delivers.
 *
 *   queued ──claim──▶ running ──finish──▶ succeeded | stopped | failed | canceled
 *     │                  ▲ │
 *     │                  └─┘ claim again (lease lost: a new attempt, a new fencing token)
 *     └──cancel──▶ canceled
 */
export const REGISTRY_STATUSES = ['queued', 'running', 'succeeded', 'stopped', 'failed', 'canceled'] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

export const TERMINAL_STATUSES = ['succeeded', 'stopped', 'failed', 'canceled'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export function isTerminal(s: RegistryStatus): s is TerminalStatus {
  return (TERMINAL_STATUSES as readonly string[]).includes(s);
}

/** Operations that change a run's registry row; each one is fenced except submit and cancel. */
export const REGISTRY_OPS = ['submit', 'claim', 'heartbeat', 'push', 'finish', 'cancel'] as const;
export type RegistryOp = (typeof REGISTRY_OPS)[number];

/** Why a fenced write was refused. */
export const FENCE_REFUSALS = ['stale_attempt', 'terminal', 'not_running', 'missing'] as const;
export type FenceRefusal = (typeof FENCE_REFUSALS)[number];
