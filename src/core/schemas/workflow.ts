/**
 * Workflow files (JSON as in the Orchestration Runner's `workflows/visual-essay.json`, or YAML):
 * `{workflow, version, description, gates: [{gate, name, agent, contract, prompt_template,
 * description}]}` plus runr's executor settings per gate.
 */
import * as z from 'zod';

const GATE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** How a gate's work gets done. manual: a human (or an agent they drive) produces the outputs;
 * command: runr runs an argv and then validates. */
export const EXECUTORS = ['manual', 'command'] as const;
export const ExecutorSchema = z.enum(EXECUTORS);
export type Executor = z.infer<typeof ExecutorSchema>;

export const WorkflowGateSchema = z.looseObject({
  gate: z.string().regex(GATE_ID, 'letters, digits, ".", "_" or "-" (at most 64)'),
  name: z.string().min(1),
  agent: z.string().min(1).optional(),
  contract: z.string().min(1).optional(),
  prompt_template: z.string().optional(),
  description: z.string().optional(),
  executor: ExecutorSchema.optional(),
  /** For `executor: command`: the argv (placeholders like {slug} are substituted per element). */
  command: z.array(z.string()).min(1).optional(),
  timeout_s: z.number().positive().optional(),
  /** Extra attempts after a failed validation (command executor). Default 0. */
  retries: z.number().int().nonnegative().max(20).optional(),
  blocking: z.boolean().optional(),
});
export type WorkflowGate = z.infer<typeof WorkflowGateSchema>;

export const WorkflowSchema = z
  .looseObject({
    workflow: z.string().min(1),
    version: z.string().optional(),
    description: z.string().optional(),
    gates: z.array(WorkflowGateSchema).min(1, 'a workflow needs at least one gate'),
  })
  .superRefine((wf, ctx) => {
    const seen = new Set<string>();
    wf.gates.forEach((g, i) => {
      if (seen.has(g.gate)) ctx.addIssue({ code: 'custom', path: ['gates', i, 'gate'], message: `duplicate gate ${g.gate}` });
      seen.add(g.gate);
      if (g.executor === 'command' && g.command === undefined) {
        ctx.addIssue({ code: 'custom', path: ['gates', i, 'command'], message: 'required when executor is "command" (an argv array)' });
      }
    });
  });
export type Workflow = z.infer<typeof WorkflowSchema>;
