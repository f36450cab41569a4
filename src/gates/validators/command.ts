import fs from 'node:fs';
import path from 'node:path';
import type { ValidationOf } from '../../core/schemas/contract.js';
import { substitute } from '../../core/template.js';
import { describeOutcome, runProcess } from '../../proc/run-process.js';
import { resolveTemplate } from '../context.js';
import type { Validator } from './common.js';
import { desc, unresolved, withSeverity } from './common.js';

let seq = 0;

/** Run an argv (placeholders substituted per element, never through a shell); pass on exit 0. */
export const command: Validator<ValidationOf<'command'>> = async (spec, ctx) => {
  const argv = spec.argv.map((a) => substitute(a, ctx.vars).value);
  let cwd = ctx.root;
  if (spec.cwd !== undefined) {
    const r = resolveTemplate(ctx, spec.cwd);
    if (!r.ok) return unresolved(spec.type, r, spec.description);
    cwd = r.abs;
  }
  fs.mkdirSync(ctx.logDir, { recursive: true });
  seq += 1;
  const logFile = path.join(ctx.logDir, `validation-command-${Date.now()}-${seq}.log`);
  const o = await runProcess(argv, {
    cwd,
    timeoutMs: (spec.timeout_s ?? 300) * 1000,
    logFile,
    transform: ctx.redact,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.env ? { env: ctx.env } : {}),
  });
  return withSeverity(
    {
      type: spec.type,
      argv: spec.argv,
      exit_code: o.exitCode,
      timed_out: o.timedOut,
      duration_ms: o.durationMs,
      outcome: describeOutcome(o),
      log: path.relative(ctx.root, logFile).split(path.sep).join('/'),
      pass: o.exitCode === 0 && !o.timedOut && !o.canceled,
      ...desc(spec.description),
    },
    spec.severity,
  );
};
