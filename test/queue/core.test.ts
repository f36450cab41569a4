import { describe, expect, it } from 'vitest';
import { checkFence, decideCancel, decideClaim } from '../../src/core/queue/fencing.js';
import { parseQueueUrl } from '../../src/core/queue/url.js';

describe('fencing rules', () => {
  it('a claim starts a new attempt; finished runs are skipped; canceled-before-start ends canceled', () => {
    expect(decideClaim({ status: 'queued', attempt: 0, cancel_requested: false })).toEqual({ kind: 'claim', attempt: 1 });
    expect(decideClaim({ status: 'running', attempt: 1, cancel_requested: false })).toEqual({ kind: 'claim', attempt: 2 });
    expect(decideClaim({ status: 'succeeded', attempt: 2, cancel_requested: false })).toEqual({ kind: 'skip', status: 'succeeded' });
    expect(decideClaim({ status: 'running', attempt: 1, cancel_requested: true })).toEqual({ kind: 'cancel', attempt: 2 });
  });
  it('only the current attempt of a running run may write', () => {
    const running = { status: 'running' as const, attempt: 2, cancel_requested: false };
    expect(checkFence(running, 2)).toEqual({ kind: 'ok' });
    expect(checkFence(running, 1)).toEqual({ kind: 'refused', reason: 'stale_attempt' });
    expect(checkFence({ ...running, status: 'succeeded' }, 2)).toEqual({ kind: 'refused', reason: 'terminal' });
    expect(checkFence({ ...running, status: 'queued' }, 2)).toEqual({ kind: 'refused', reason: 'not_running' });
    expect(checkFence(null, 1)).toEqual({ kind: 'refused', reason: 'missing' });
  });
  it('cancel: queued ends now, running is requested, finished stays', () => {
    expect(decideCancel({ status: 'queued', attempt: 0, cancel_requested: false })).toEqual({ kind: 'canceled_now' });
    expect(decideCancel({ status: 'running', attempt: 1, cancel_requested: false })).toEqual({ kind: 'requested' });
    expect(decideCancel({ status: 'stopped', attempt: 1, cancel_requested: false })).toEqual({ kind: 'already_terminal', status: 'stopped' });
  });
});

describe('queue URLs', () => {
  it('the scheme picks the backend; ?queue= names the queue', () => {
    expect(parseQueueUrl('postgres://u@127.0.0.1:5432/db')).toEqual({ backend: 'postgres', url: 'postgres://u@127.0.0.1:5432/db', queue: 'runr' });
    expect(parseQueueUrl('redis://127.0.0.1:6379?queue=ci')).toMatchObject({ backend: 'redis', queue: 'ci', url: 'redis://127.0.0.1:6379' });
    expect(() => parseQueueUrl('http://x')).toThrow(/unsupported scheme/);
    expect(() => parseQueueUrl('nope')).toThrow(/not a URL/);
    expect(() => parseQueueUrl('redis://x?queue=a/b')).toThrow(/invalid queue name/);
  });
});
