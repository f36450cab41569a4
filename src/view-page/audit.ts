/** The audit box: is the journal's hash chain intact, is the snapshot a replay of it, do the artifacts still hash the same. */
import type { AuditSummary } from '../core/view/model.js';
import { badge, h } from './dom.js';

export function auditBox(a: AuditSummary | null): HTMLElement {
  if (a === null) return h('div', { class: 'panel audit' }, h('strong', null, 'Audit: '), h('span', { class: 'muted' }, 'not audited for this page'));
  const art = a.artifacts;
  const artTotal = art.ok + art.drift + art.missing + art.escapes;
  return h(
    'div',
    { class: `panel audit ${a.ok ? 'good' : 'bad'}`, id: 'audit' },
    h('strong', null, 'Audit: '),
    badge(a.ok ? 'passed' : 'problems', a.ok ? 'pass' : 'fail'),
    h(
      'ul',
      { class: 'plain' },
      h('li', null, a.journal_present ? `journal: ${a.events} events, hash chain ${a.chain_ok ? 'intact' : 'BROKEN'}` : 'journal: none (record written by another tool)'),
      a.chain_problems.map((p) => h('li', { class: 'failure-reason' }, p)),
      a.torn_line !== null ? h('li', { class: 'failure-reason' }, `torn last line ${a.torn_line} (ignored)`) : null,
      h('li', null, `snapshot: ${a.snapshot_detail}`),
      h('li', null, `attempt files: ${a.attempt_files_checked} checked${a.attempt_files_mismatched.length > 0 ? `, ${a.attempt_files_mismatched.join('; ')}` : ''}`),
      artTotal > 0 ? h('li', null, `artifacts re-hashed: ${art.ok} ok${art.drift > 0 ? `, ${art.drift} changed since recorded` : ''}${art.missing > 0 ? `, ${art.missing} missing` : ''}${art.escapes > 0 ? `, ${art.escapes} outside the repository` : ''}`) : null,
    ),
  );
}
