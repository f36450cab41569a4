/** A task run: phase timeline per milestone, verification attempts, guard stops, checkpoints, stop reason and what to do next. */
import type { TaskDetail } from '../core/view/model.js';
import { auditBox } from './audit.js';
import { badge, h, kv, sha, table } from './dom.js';
import { duration, durationBetween, when } from './format.js';
import { gantt } from './gantt.js';

function stopBox(d: TaskDetail): HTMLElement | null {
  if (d.stop === null) return d.alive ? h('div', { class: 'panel', id: 'stop' }, badge('RUNNING'), ` in ${d.phase ?? '?'}`) : null;
  const s = d.stop;
  return h(
    'div',
    { class: `panel ${s.reason === 'complete' ? 'good' : 'bad'}`, id: 'stop' },
    kv([
      ['stop reason', h('strong', null, s.reason)],
      ['detail', s.detail],
      ['resumable', s.resumable ? 'yes' : 'no'],
      ['next action', s.next_action],
      ['suggested command', s.suggested_command !== null ? h('code', { id: 'suggested-command' }, s.suggested_command) : null],
    ]),
  );
}

export function taskView(d: TaskDetail): HTMLElement {
  return h(
    'section',
    { id: 'detail', class: 'task' },
    h('h2', null, 'Task run ', h('code', null, d.run_id), ' ', badge(d.status)),
    kv([
      ['task', d.task !== null ? `${d.task.title} (${d.task.file})` : null],
      ['branch', d.branch !== null ? h('code', null, d.branch) : null],
      ['worktree', d.worktree !== null ? h('code', null, d.worktree) : null],
      ['base commit', d.base_commit !== null ? sha(d.base_commit) : null],
      ['phase', d.phase],
      ['started', when(d.started_at)],
      ['finished', d.finished_at !== null ? `${when(d.finished_at)} (${duration(durationBetween(d.started_at, d.finished_at))})` : d.alive ? 'running' : '–'],
    ]),
    stopBox(d),
    h('h3', null, 'Timeline'),
    gantt(d.bars, d.milestones.map((m) => m.id)),
    Object.keys(d.phases).length > 0 ? h('div', { class: 'legend' }, Object.entries(d.phases).map(([p, v]) => h('span', null, `${p} ${v.count}× ${duration(v.duration_ms)}`))) : null,
    h('h3', null, 'Milestones'),
    d.milestones.length === 0
      ? h('div', { class: 'muted' }, 'not planned yet')
      : table(['milestone', 'goal', 'status', 'implement attempts', 'verify failures', 'checkpoint'], d.milestones.map((m) => [m.id, m.goal, m.status, m.implement_attempts, m.verify_failures, sha(m.checkpoint_sha)])),
    h('h3', null, 'Verification attempts'),
    d.verifications.length === 0
      ? h('div', { class: 'muted' }, 'none yet')
      : d.verifications.map((v) =>
          h(
            'div',
            { class: 'panel verification', data: { ok: String(v.ok) } },
            h('div', null, h('strong', null, `${v.milestone} `), badge(v.ok ? 'passed' : 'failed', v.ok ? 'pass' : 'fail'), h('span', { class: 'muted' }, ` ${when(v.at)} · ${duration(v.duration_ms)}`)),
            table(['tier', 'command', 'exit', 'duration'], v.commands.map((c) => [c.tier, h('code', null, c.command), c.timed_out ? 'timed out' : String(c.exit_code ?? '–'), duration(c.duration_ms)])),
            v.failure !== null
              ? h('div', null, h('div', { class: 'failure-reason' }, `failed: ${v.failure.tier} `, h('code', null, v.failure.command), ` exit ${v.failure.exit_code ?? 'none'}`), h('pre', { class: 'tail' }, v.failure.output_tail))
              : null,
          ),
        ),
    h('h3', null, 'Guard stops'),
    d.guard.length === 0 ? h('div', { class: 'muted' }, 'none') : table(['file', 'rule', 'detail', 'milestone', 'phase'], d.guard.map((g) => [h('code', null, g.path), g.rule, g.detail ?? '', g.milestone ?? '', g.phase]), 'guard'),
    h('h3', null, 'Checkpoints'),
    d.checkpoints.length === 0 ? h('div', { class: 'muted' }, 'none') : table(['milestone', 'commit', 'branch', 'at'], d.checkpoints.map((c) => [c.milestone, sha(c.sha), d.branch ?? '', `${when(c.at)}${c.reused ? ' (reused)' : ''}`])),
    auditBox(d.audit),
  );
}
