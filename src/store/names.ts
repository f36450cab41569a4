/** Names the store makes or accepts inside a run directory: gate names and the id's random suffix. */
import { randomBytes } from 'node:crypto';
import { UserError } from '../core/errors.js';

const GATE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function validateGateName(gate: string, flag = '--gate'): string {
  if (!GATE_NAME_RE.test(gate)) throw new UserError(`${flag}: invalid gate name ${JSON.stringify(gate)} (letters, digits, '.', '_', '-')`);
  return gate;
}

/** Six random base-36 characters (a run id's suffix). */
export function random6(): string {
  let s = '';
  const bytes = randomBytes(6);
  for (const b of bytes) s += (b % 36).toString(36);
  return s;
}
