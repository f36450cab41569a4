/**
 * RunOps benchmark (issue 5). Every figure is a ratio against a baseline measured in the same run:
 *  1. scan of 10,000 envelopes (runr's scan: glob match, temp-sibling check, Python-compatible JSON
 *     read, status) vs bare `readdirSync` + `readFileSync` + `JSON.parse` of the same files
 *     (median of 5);
 *  2. verification throughput: runs per second with 1 MB execution logs (the six checks; the log
 *     hash re-serializes every event as Python's json.dumps), vs `sha256sum` over the same bytes
 *     (what a plain file digest costs; median of 3);
 *  3. monitor latency from the rename of `X.run.run.json.tmp` to the run being judged, vs a bare
 *     `fs.watch` on the same directory seeing the same rename (median and p95 of 30). The harness
 *     polled every 15 s (7.5 s mean latency) and spent the full 600 s on every finished-but-incomplete
 *     run; runr judges that case at once (measured too).
 * Run with `npm run bench` (builds first). Prints a table; exits non-zero only if something broke.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const { scan } = await dist('ops/scan.js');
const { runtimeLayout } = await dist('ops/layout.js');
const { verifyAll } = await dist('ops/verify.js');
const { monitorAll } = await dist('ops/monitor.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const time = (fn) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
const timeAsync = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-ops-bench-'));
const rows = [];
const RUN = 'autonomous_exec_v0_1_llm_phase4b';

function envelope(i, logHash = 'x'.repeat(64), extra = {}) {
  return `${JSON.stringify(
    {
      schema_version: '1.4', run_id: RUN, run_instance_id: `i${i}_seed${i % 7}`, suite: 'autonomous_exec_v0_1_llm',
      total_cases_expected: 60, total_cases_completed: 60, executed_action_count: 0, blocked_action_count: 0, modified_action_count: 0,
      run_start_ts_utc: '2026-11-21T19:36:57.544296+00:00', run_end_ts_utc: '2026-11-21T19:36:57.742151+00:00', exit_status: 'normal',
      sandbox_state_hash_before: '', sandbox_state_hash_after: 'ab'.repeat(32), execution_log_hash: logHash,
      metrics: { execution_allowed_rate: 0.0, benefit_completion_rate: 0.5, compaction_applied_count: 0, compaction_rate: 0, dropped_action_count: 0, compaction_token_savings_est: 0, estimated_token_usage_per_case_mean: 237.33 },
      model_id: i % 2 ? 'tinyllama:latest' : 'qwen2.5-coder:7b', backend: 'mock', timeout_per_case: 60, planner_efficiency_prompt_enabled: true, governance_efficiency_mode: 'off',
      ...extra,
    },
    null,
    2,
  )}\n`;
}

// ---- 1. scan of 10,000 envelopes ---------------------------------------------------------------
{
  const rt = path.join(tmp, 'scan', 'runtime');
  const auto = path.join(rt, 'benchmarks', 'autonomous');
  fs.mkdirSync(auto, { recursive: true });
  for (let i = 0; i < 10_000; i++) fs.writeFileSync(path.join(auto, `${RUN}__i${i}_seed${i % 7}.run.json`), envelope(i));
  const layout = runtimeLayout(path.join(tmp, 'scan'), 'runtime');
  const base = [];
  const ours = [];
  let found = 0;
  for (let k = 0; k < 5; k++) {
    base.push(time(() => {
      let n = 0;
      for (const f of fs.readdirSync(auto)) if (f.endsWith('.run.json')) n += JSON.parse(fs.readFileSync(path.join(auto, f), 'utf8')).total_cases_completed;
      if (n === 0) throw new Error('baseline read nothing');
    }));
    ours.push(time(() => {
      found = scan(layout, { runId: RUN, seed: null, models: null }).candidates.length;
    }));
  }
  if (found !== 10_000) throw new Error(`scan found ${found}`);
  rows.push(['scan 10,000 envelopes', `${median(ours).toFixed(0)} ms`, `readdir+JSON.parse ${median(base).toFixed(0)} ms`, `${(median(ours) / median(base)).toFixed(2)}×`]);
}

// ---- 2. verification throughput, 1 MB logs ------------------------------------------------------
{
  const rt = path.join(tmp, 'verify', 'runtime');
  const auto = path.join(rt, 'benchmarks', 'autonomous');
  const logs = path.join(rt, 'benchmarks', 'execution_logs');
  fs.mkdirSync(auto, { recursive: true });
  fs.mkdirSync(logs, { recursive: true });
  // One harness-like 1 MB log: events like the real ones (uuid, hashes, nested payloads, a float).
  const lines = [];
  let size = 0;
  for (let i = 0; size < 1 << 20; i++) {
    const ev = {
      event_id: crypto.randomUUID(), run_id: RUN, stage: ['llm_plan_request', 'plan_compaction', 'state_validation'][i % 3], ts_utc: '2026-11-21T19:36:57.544798+00:00',
      decision_type: 'allow', case_id: `benign_${i % 60}`, model_id: 'tinyllama:latest', prompt_hash: crypto.createHash('sha256').update(String(i)).digest('hex'),
      rules_applied: ['A', 'C'], dropped_action_ids: [`a${i}`], risk_score: 0.1 * (i % 10), integrity_ok: true, errors: ['actions field required'],
      payload_hash: crypto.createHash('sha256').update(`p${i}`).digest('hex'),
    };
    const line = `${JSON.stringify(ev).replaceAll('","', '", "').replaceAll('":', '": ')}\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  const logText = lines.join('');
  const N = 20;
  const { executionLogHash } = await dist('ops/log-hash.js');
  fs.writeFileSync(path.join(logs, 'probe.events.jsonl'), logText);
  const h = await executionLogHash(path.join(logs, 'probe.events.jsonl'));
  fs.rmSync(path.join(logs, 'probe.events.jsonl'));
  for (let i = 0; i < N; i++) {
    fs.writeFileSync(path.join(logs, `${RUN}__i${i}_seed${i % 7}.events.jsonl`), logText);
    fs.writeFileSync(path.join(auto, `${RUN}__i${i}_seed${i % 7}.run.json`), envelope(i, h.hash));
  }
  const layout = runtimeLayout(path.join(tmp, 'verify'), 'runtime');
  const cands = scan(layout, { runId: RUN, seed: null, models: null }).candidates;
  const files = fs.readdirSync(logs).map((f) => path.join(logs, f));
  const hasSha256sum = spawnSync('sha256sum', ['--version']).status === 0;
  const base = [];
  const ours = [];
  for (let k = 0; k < 3; k++) {
    base.push(time(() => {
      if (hasSha256sum) {
        const r = spawnSync('sha256sum', files, { encoding: 'utf8' });
        if (r.status !== 0) throw new Error('sha256sum failed');
      } else for (const f of files) crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    }));
    let vs = [];
    ours.push(await timeAsync(async () => {
      vs = await verifyAll(layout, cands, { strictTmp: false });
    }));
    if (!vs.every((v) => v.overall.pass)) throw new Error('verification failed in the bench');
  }
  const mb = (Buffer.byteLength(logText) / (1 << 20)).toFixed(2);
  const rps = (N / (median(ours) / 1000)).toFixed(1);
  rows.push([`verify ${N} runs, ${mb} MB logs`, `${rps} runs/s (${(median(ours) / N).toFixed(1)} ms/run)`, `${hasSha256sum ? 'sha256sum' : 'node sha256'} ${(median(base) / N).toFixed(1)} ms/run`, `${(median(ours) / median(base)).toFixed(2)}×`]);
}

// ---- 3. monitor latency --------------------------------------------------------------------------
{
  const rt = path.join(tmp, 'monitor', 'runtime');
  const auto = path.join(rt, 'benchmarks', 'autonomous');
  fs.mkdirSync(auto, { recursive: true });
  const layout = runtimeLayout(path.join(tmp, 'monitor'), 'runtime');
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const ours = [];
  const bare = [];
  for (let i = 0; i < 30; i++) {
    const base = `${RUN}__m${i}_seed1`;
    const tmpFile = path.join(auto, `${base}.run.run.json.tmp`);
    fs.writeFileSync(tmpFile, envelope(i));
    const cands = scan(layout, { runId: `${RUN}`, seed: null, models: null }).candidates.filter((c) => c.instance_id === `m${i}_seed1`);
    let judged = 0;
    const p = monitorAll(cands, { pollMs: 15_000, timeoutMs: 60_000, onJudged: () => (judged = performance.now()) });
    await sleep(20);
    const t0 = performance.now();
    fs.renameSync(tmpFile, path.join(auto, `${base}.run.json`));
    await p;
    ours.push(judged - t0);
    // Baseline: a bare fs.watch seeing a rename in the same directory.
    const bt = path.join(auto, `bare${i}.tmp`);
    fs.writeFileSync(bt, 'x');
    const seen = new Promise((resolve) => {
      const w = fs.watch(auto, (_e, f) => {
        if (f === `bare${i}.json`) {
          w.close();
          resolve(performance.now());
        }
      });
    });
    await sleep(20);
    const b0 = performance.now();
    fs.renameSync(bt, path.join(auto, `bare${i}.json`));
    bare.push((await seen) - b0);
  }
  rows.push(['monitor: rename → judged (median)', `${median(ours).toFixed(2)} ms`, `bare fs.watch ${median(bare).toFixed(2)} ms`, `${(median(ours) / median(bare)).toFixed(2)}×`]);
  rows.push(['monitor: rename → judged (p95)', `${pct(ours, 0.95).toFixed(2)} ms`, `bare fs.watch ${pct(bare, 0.95).toFixed(2)} ms`, `vs harness 15 s poll: ${(7500 / median(ours)).toFixed(0)}× faster (mean 7.5 s)`]);

  // Finished-but-incomplete: judged at once (the harness waited the full 600 s).
  fs.writeFileSync(path.join(auto, `${RUN}__inc_seed1.run.json`), envelope(1, 'x'.repeat(64), { exit_status: 'incomplete', total_cases_completed: 59 }));
  const inc = scan(layout, { runId: RUN, seed: null, models: null }).candidates.filter((c) => c.instance_id === 'inc_seed1');
  const t = await timeAsync(() => monitorAll(inc, { pollMs: 15_000, timeoutMs: 600_000 }));
  rows.push(['monitor: finished-but-incomplete run', `${t.toFixed(2)} ms`, 'harness: 600,000 ms', `${(600_000 / t).toExponential(1)}× faster`]);
}

fs.rmSync(tmp, { recursive: true, force: true });
const w = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length), 8));
for (const r of [['measure', 'runr', 'baseline', 'ratio'], ...rows]) console.log(r.map((x, i) => x.padEnd(w[i])).join('  '));
