/**
 * Prompts for the worker phases. They keep the peer's answer shapes (BEGIN_JSON/END_JSON with the
 * plan / implement / review objects of FORMATS.md §002) so prompts people already wrote still fit.
 */
import type { Milestone, TaskState } from '../core/tasks/state.js';
import type { TaskRunContext } from './context.js';

const ANSWER = (shape: string) =>
  `## Answer\nWhen you are done, print exactly one JSON object between a line \`BEGIN_JSON\` and a line \`END_JSON\` (or write it to the file named by $RUNR_RESULT_FILE):\n\nBEGIN_JSON\n${shape}\nEND_JSON\n`;

function scopeText(ctx: TaskRunContext): string {
  const allow = ctx.matcher.allowlist;
  const lines = [
    '## Scope (enforced by runr after you finish)',
    allow.length > 0 ? `- You may change only files matching: ${allow.join(', ')}` : '- You may change any file that is not denied.',
    ctx.config.scope.denylist.length > 0 ? `- Never change: ${ctx.config.scope.denylist.join(', ')}` : null,
    ctx.info.options.allow_deps ? '- Dependency lockfiles may change.' : `- Do not change dependency lockfiles (${ctx.config.scope.lockfiles.slice(0, 4).join(', ')}, …).`,
    '- Never touch anything under .git/ (hooks, config), never create symlinks that point outside the repository.',
    '- Do not commit: runr verifies your work and commits a checkpoint itself.',
  ];
  return lines.filter((l): l is string => l !== null).join('\n');
}

function milestoneText(m: Milestone, index: number, total: number): string {
  const lines = [`## Milestone ${m.id} (${index + 1} of ${total})`, m.goal];
  if (m.files_expected.length > 0) lines.push(`Files expected: ${m.files_expected.join(', ')}`);
  if (m.done_checks.length > 0) lines.push(`Done when: ${m.done_checks.join('; ')}`);
  return lines.join('\n');
}

function verifyText(ctx: TaskRunContext): string {
  const v = ctx.config.verification;
  const cmds = [...v.tier0, ...v.tier1, ...v.tier2];
  return cmds.length === 0 ? '' : `## Verification (runr runs these after you)\n${cmds.map((c) => `- \`${c}\``).join('\n')}\n`;
}

export function planPrompt(ctx: TaskRunContext): string {
  return [
    `You are the planner of a runr task run (${ctx.runId}). Read the repository in ${ctx.workDir}; do not change any file.`,
    '## Task',
    ctx.task.text.trim(),
    scopeText(ctx),
    verifyText(ctx),
    'Split the task into 1 to 5 milestones, each small enough to implement and verify on its own, in order.',
    ANSWER('{"milestones":[{"goal":"…","files_expected":["path/…"],"done_checks":["…"],"risk_level":"low|medium|high"}]}'),
    'If the task is too vague to plan, answer {"status":"reject","reason":"…","milestones":[]}.',
  ].join('\n\n');
}

export function implementPrompt(ctx: TaskRunContext, s: TaskState, m: Milestone, attempt: number): string {
  const parts = [
    `You are the implementer of a runr task run (${ctx.runId}). Work in ${ctx.workDir}.`,
    '## Task',
    ctx.task.text.trim(),
    milestoneText(m, s.milestone_index, s.milestones.length),
  ];
  const done = s.milestones.filter((x) => x.status === 'complete').map((x) => `- ${x.id}: ${x.goal}`);
  if (done.length > 0) parts.push(`## Already done (checkpointed)\n${done.join('\n')}`);
  const f = s.feedback;
  if (f?.kind === 'verify') {
    parts.push(`## Verification failed on the previous attempt (${f.tier}: \`${f.command}\`, exit ${f.exit_code ?? 'none'})\nFix it. The work from the previous attempt is still in the worktree. Output (tail):\n\`\`\`\n${f.output_tail}\n\`\`\``);
  } else if (f?.kind === 'review') {
    parts.push(`## The reviewer requested changes\n${f.changes.map((c) => `- ${c}`).join('\n')}`);
  } else if (attempt > 1) {
    parts.push('## Note\nA previous attempt at this milestone was cut short; its partial work may still be in the worktree. Continue from it.');
  }
  parts.push(scopeText(ctx), verifyText(ctx), ANSWER('{"status":"ok|blocked|failed|no_changes_needed","handoff_memo":"what you did, and anything the next step should know"}'));
  return parts.join('\n\n');
}

export function reviewPrompt(ctx: TaskRunContext, s: TaskState, m: Milestone, diff: string): string {
  return [
    `You are the reviewer of a runr task run (${ctx.runId}). The repository is in ${ctx.workDir}; do not change any file.`,
    '## Task',
    ctx.task.text.trim(),
    milestoneText(m, s.milestone_index, s.milestones.length),
    'Verification passed. Review the uncommitted changes for this milestone:',
    `\`\`\`diff\n${diff}\n\`\`\``,
    'Approve if the milestone is done well enough. Request changes only for real problems, each as one concrete instruction.',
    ANSWER('{"status":"approve|request_changes|reject","changes":["…"]}'),
  ].join('\n\n');
}
