/** A workflow run: gates with every attempt, validations and why, artifacts with sha256, invocations, prompt hashes, audit. */
import type { ArtifactView, AttemptView, GateView, WorkflowDetail } from '../core/view/model.js';
import { auditBox } from './audit.js';
import type { Child } from './dom.js';
import { badge, h, kv, sha, table } from './dom.js';
import { duration, durationBetween, when } from './format.js';

export function artifactLink(a: Pick<ArtifactView, 'path' | 'href'>): Child {
  return a.href !== null ? h('a', { href: a.href, class: 'mono' }, a.path) : h('span', { class: 'mono' }, a.path);
}

function attemptEl(a: AttemptView): HTMLElement {
  return h(
    'div',
    { class: 'attempt', data: { attempt: String(a.attempt), status: a.status } },
    h(
      'div',
      { class: 'head' },
      h('strong', null, `attempt ${a.attempt}`),
      badge(a.status),
      h('span', { class: 'muted' }, `${a.agent}${a.executor !== null ? ` (${a.executor})` : ''}`),
      h('span', { class: 'muted' }, `${when(a.started_at)} · ${duration(durationBetween(a.started_at, a.finished_at))}`),
      a.prompt_sha256 !== null ? h('span', null, 'prompt ', sha(a.prompt_sha256)) : null,
    ),
    a.failure_reason !== null ? h('div', { class: 'failure-reason' }, a.failure_reason) : null,
    a.revalidations.length > 0 ? h('div', { class: 'muted' }, `re-validated ${a.revalidations.length}×: ${a.revalidations.map((r) => `${r.status}${r.failure_reason !== null ? ` (${r.failure_reason})` : ''}`).join(', ')}`) : null,
    a.validations.length > 0
      ? table(
          ['validation', 'result', 'target', 'description', 'why'],
          a.validations.map((v) => [h('code', null, v.type), badge(v.outcome), v.target !== null ? h('code', null, v.target) : '', v.description ?? '', v.why !== null ? h('span', { class: v.outcome === 'fail' ? 'failure-reason' : '' }, v.why) : '']),
          'validations',
        )
      : null,
    a.artifacts.length > 0 ? table(['output', 'sha256', 'bytes'], a.artifacts.map((x) => [artifactLink(x), x.exists ? sha(x.sha256) : h('span', { class: 'muted' }, 'missing'), x.bytes ?? ''])) : null,
    a.invocation_ids.length > 0 ? h('div', { class: 'muted' }, 'invocations: ', a.invocation_ids.map((i) => h('code', null, `${i} `))) : null,
  );
}

function gateEl(g: GateView): HTMLElement {
  return h(
    'div',
    { class: 'gate', data: { gate: g.gate } },
    h('h3', null, g.gate, h('span', { class: 'muted' }, g.name), badge(g.status, g.status === 'PASS' ? 'PASS' : g.status === 'FAIL' ? 'FAIL' : ''), h('span', { class: 'muted' }, `${g.attempts.length} attempt${g.attempts.length === 1 ? '' : 's'}`)),
    g.attempts.length === 0 ? h('div', { class: 'muted' }, 'not started') : g.attempts.map(attemptEl),
  );
}

export function workflowView(d: WorkflowDetail): HTMLElement {
  return h(
    'section',
    { id: 'detail', class: 'workflow' },
    h('h2', null, 'Workflow run ', h('code', null, d.run_id), ' ', badge(d.status)),
    kv([
      ['workflow', `${d.workflow.name} ${d.workflow.version}`],
      ['slug', d.workflow.slug],
      ['artifact path', h('code', null, d.workflow.artifact_path)],
      ['depth', d.depth],
      ['started', when(d.started_at)],
      ['finished', d.finished_at !== null ? `${when(d.finished_at)} (${duration(durationBetween(d.started_at, d.finished_at))})` : 'not finished'],
      ['prompt', d.prompt_sha256 !== null ? sha(d.prompt_sha256) : null],
    ]),
    auditBox(d.audit),
    h('h3', null, 'Gates'),
    d.gates.map(gateEl),
    h('h3', null, 'Invocations'),
    d.invocations.length === 0
      ? h('div', { class: 'muted' }, 'none recorded')
      : table(['invocation', 'gate', 'agent', 'model', 'status', 'started', 'duration'], d.invocations.map((i) => [h('code', null, i.invocation_id), i.gate, i.agent, i.model, badge(i.status, i.status === 'SUCCESS' ? 'pass' : 'fail'), when(i.started_at), duration(i.duration_ms)])),
    h('h3', null, 'Artifacts'),
    d.artifacts.length === 0
      ? h('div', { class: 'muted' }, 'none recorded')
      : table(['path', 'gate', 'sha256', 'audit'], d.artifacts.map((a) => [artifactLink(a), a.gate ?? '', sha(a.sha256), a.audit !== undefined ? badge(a.audit, a.audit === 'ok' ? 'ok' : 'fail') : ''])),
  );
}
