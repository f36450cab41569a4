/**
 * Crash safety: SIGKILL `gate finish` and `invocation record` at random moments (≥ 50 kills in
 * all), on four runs at once (two on a gate with a slow command validator). After every kill:
 *  - `run show --json` exits 0 and parses; `audit --json` says the chain verifies (a torn last
 *    line may be reported);
 *  - the kill added at most one event and at most one invocation (nothing half-recorded);
 *  - the next command (gate start / invocation record / gate finish) succeeds, and afterwards the
 *    record on disk is whole: no torn line, chain intact, RUN.json and attempt files in step.
 *
 * Kill moments: the CLI takes a few hundred ms, most of it Node start-up and module loading, so a
 * fixed 0–60 ms window would only ever kill it before it touches the record. So a third of the
 * kills are by the clock (spread over the operation's measured time), the others are random
 * delays after the process visibly enters its write section (the writer lock file appears) or
 * starts its command validator (see killPlan).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRepo } from '../helpers/cli.js';
import { checkRecord, leftoverTempFiles } from './record-check.js';
import { makeRobustRepo, startRun } from './setup.js';
import type { KillPlan } from './spawn.js';
import { runrAsync, runrKill, timeRunr } from './spawn.js';

const LANES = 4;
const KILLS_PER_LANE = 13; // 52 in all
const MAX_TRIES_PER_LANE = 60;

let repo = '';

beforeAll(() => {
  repo = makeRobustRepo();
});
afterAll(() => {
  if (repo !== '') removeRepo(repo);
});

type Op = 'finish' | 'invocation';

function opArgs(op: Op, run: string, gate: string): string[] {
  return op === 'finish' ? ['gate', 'finish', '--run', run, '--gate', gate] : ['invocation', 'record', '--run', run, '--gate', gate, '--agent', 'crash-test'];
}

function nextArgs(i: number, run: string, gate: string): string[] {
  switch (i % 3) {
    case 0:
      return ['gate', 'start', '--run', run, '--gate', gate, '--agent', 'crash-test'];
    case 1:
      return ['invocation', 'record', '--run', run, '--gate', gate, '--agent', 'crash-test'];
    default:
      return ['gate', 'finish', '--run', run, '--gate', gate];
  }
}

/**
 * mode 0: by the clock (a quarter in 0–60 ms, the rest in 0–1.3× the operation's time);
 * mode 1: 0–30 ms after the writer lock appears (the write section: journal append, RUN.json,
 *         attempt files — about 20 ms after the lock here);
 * mode 2: on CV `gate finish`, 0–60 ms after the command validator's log appears (the validator
 *         is running); otherwise 0–4 ms after the journal changes (between the append and the
 *         snapshot writes).
 */
function killPlan(mode: number, op: Op, gate: string, runDir: string, fullMs: number): KillPlan {
  const rand = (ms: number) => Math.random() * ms;
  if (mode === 0) return { delayMs: Math.random() < 0.25 ? rand(60) : rand(fullMs * 1.3) };
  if (mode === 1) return { delayMs: rand(30), when: { dir: path.join(runDir, 'logs'), name: /^writer\.lock$/ } };
  if (op === 'finish' && gate === 'CV') return { delayMs: rand(60), when: { dir: path.join(runDir, 'logs', 'gates', 'CV'), name: /^validation-command-/ } };
  return { delayMs: rand(4), when: { dir: path.join(runDir, 'record'), name: /^events\.jsonl$/ } };
}

interface LaneStats {
  kills: number;
  tries: number;
  tornSeen: number;
  eventAdded: number;
  problems: string[];
}

async function lane(k: number, timings: Record<string, number>): Promise<LaneStats> {
  const gate = k % 2 === 0 ? 'G1' : 'CV';
  const { id, dir } = startRun(repo, `crash-${k}`);
  fs.mkdirSync(path.join(dir, 'logs', 'gates', gate), { recursive: true });
  const first = await runrAsync(['gate', 'start', '--run', id, '--gate', gate, '--agent', 'crash-test'], { cwd: repo });
  expect(first.status, first.stderr).toBe(0);
  const stats: LaneStats = { kills: 0, tries: 0, tornSeen: 0, eventAdded: 0, problems: [] };
  while (stats.kills < KILLS_PER_LANE && stats.tries < MAX_TRIES_PER_LANE) {
    const op: Op = stats.tries % 2 === 0 ? 'finish' : 'invocation';
    stats.tries += 1;
    const before = checkRecord(dir, { allowTorn: true });
    const plan = killPlan(Math.floor(stats.tries / 2) % 3, op, gate, dir, timings[`${op}:${gate}`] ?? 300);
    const delay = plan.delayMs;
    const ko = await runrKill(opArgs(op, id, gate), repo, plan);
    if (ko.killed) stats.kills += 1;
    else expect([0, 1], `${op} exited ${ko.status} without being killed: ${ko.stderr}`).toContain(ko.status);

    const [show, audit] = await Promise.all([runrAsync(['run', 'show', '--run', id, '--json'], { cwd: repo }), runrAsync(['audit', id, '--json'], { cwd: repo })]);
    const ctx = `lane ${k} try ${stats.tries} (${op}, killed=${ko.killed}, delay ${delay.toFixed(0)} ms${plan.when ? ` after ${String(plan.when.name)}` : ""})`;
    expect(show.status, `${ctx}: run show: ${show.stderr}`).toBe(0);
    const shown = JSON.parse(show.stdout) as { run_id: string; invocations: unknown[] };
    expect(shown.run_id).toBe(id);
    expect([0, 1], `${ctx}: audit: ${audit.stderr}`).toContain(audit.status);
    expect(audit.stderr).not.toMatch(/^ {4}at /m);
    const report = JSON.parse(audit.stdout) as { journal: { chain_ok: boolean; torn_line: number | null; problems: unknown[] } };
    expect(report.journal.chain_ok, `${ctx}: ${JSON.stringify(report.journal.problems)}`).toBe(true);
    if (report.journal.torn_line !== null) stats.tornSeen += 1;

    const after = checkRecord(dir, { allowTorn: true });
    expect(after.problems, ctx).toEqual([]);
    const added = after.events.length - before.events.length;
    expect([0, 1], `${ctx}: events added`).toContain(added);
    stats.eventAdded += added;
    const invBefore = before.run?.invocations.length ?? 0;
    expect([0, 1], `${ctx}: invocations added`).toContain(shown.invocations.length - invBefore);

    const next = await runrAsync(nextArgs(stats.tries, id, gate), { cwd: repo });
    expect(next.status, `${ctx}: next command: ${next.stderr}`).toBe(0);
    // Collected rather than thrown, so that one defect does not hide what the other kills show.
    for (const p of checkRecord(dir, { inStep: true }).problems) stats.problems.push(`${ctx}: after the next command: ${p}`);
  }
  const final = await runrAsync(['audit', id, '--json'], { cwd: repo });
  const report = JSON.parse(final.stdout) as { ok: boolean };
  if (final.status !== 0 || !report.ok) stats.problems.push(`lane ${k}: final audit exit ${final.status}: ${final.stdout}`);
  return stats;
}

describe('kill -9 during gate finish and invocation record', () => {
  it(`survives at least ${LANES * KILLS_PER_LANE} kills`, { timeout: 600_000 }, async () => {
    // Time each operation once (successfully) to spread the kills over its whole run time.
    const probe = startRun(repo, 'probe');
    const timings: Record<string, number> = {};
    for (const gate of ['G1', 'CV']) {
      await runrAsync(['gate', 'start', '--run', probe.id, '--gate', gate, '--agent', 'probe'], { cwd: repo });
      for (const op of ['finish', 'invocation'] as const) {
        const t = await timeRunr(opArgs(op, probe.id, gate), repo);
        expect(t.result.status, t.result.stderr).toBe(0);
        timings[`${op}:${gate}`] = t.ms;
      }
    }
    const stats = await Promise.all(Array.from({ length: LANES }, (_, k) => lane(k, timings)));
    const kills = stats.reduce((n, s) => n + s.kills, 0);
    const temps = leftoverTempFiles(fs.realpathSync(repo)).filter((f) => f.includes('/record/'));
    console.log(
      `crash: ${kills} kills in ${stats.reduce((n, s) => n + s.tries, 0)} tries; ${stats.reduce((n, s) => n + s.eventAdded, 0)} killed/finished commands had appended their event; torn lines seen ${stats.reduce((n, s) => n + s.tornSeen, 0)}; temp files left in record/: ${temps.length}; timings ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}`,
    );
    expect(kills).toBeGreaterThanOrEqual(LANES * KILLS_PER_LANE);
    expect(stats.flatMap((x) => x.problems)).toEqual([]);
  });
});
