#!/usr/bin/env node
/**
 * A stand-in for `extropy` (exaforge/extropy), for runr's demo and tests. Same subcommands and
 * flags as the real CLI of the operations document (spec, extend, sample, network, persona,
 * scenario, estimate, simulate, results, validate; global --json), writing the files it names,
 * deterministic by seed: the outcome depends on the overrides (-t threshold) plus seeded noise.
 * `simulate` keeps its progress in <results>/simulation.db and resumes from the last completed
 * timestep + 1 when rerun into the same -o directory with the same seed.
 *
 * Switches (environment, so the pipeline stays the one the real tool runs):
 *   EXTROPY_STANDIN_FAIL=<cmd>          exit 1 with an error before writing anything
 *   EXTROPY_STANDIN_BAD=<cmd>           write a wrong output (sample: fewer agents than asked)
 *   EXTROPY_STANDIN_HANG=<cmd>          never finish (sleep until killed)
 *   EXTROPY_STANDIN_DIE=<cmd>[:<step>]  SIGKILL itself mid-way (simulate: after timestep <step>, default 3)
 *   EXTROPY_STANDIN_SLOW_MS=<ms>        sleep this long per simulated timestep
 * Nothing here is imported by runr itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';

const VERSION = 'extropy-standin 0.3.0';

function fail(msg, code = 1) {
  process.stderr.write(`extropy: error: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const flags = {};
  const pos = [];
  const bool = new Set(['-y', '--yes', '--json', '-v', '--verbose', '-q', '--quiet', '--strict', '-r', '--skip-validation', '--debug', '--no-metrics', '--save-config', '--preview', '--no-preview', '--cost', '--version']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (bool.has(a)) flags[a] = true;
    else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      const v = argv[i + 1];
      if (v === undefined) fail(`option ${a} needs a value`, 2);
      flags[a] = v;
      i++;
    } else pos.push(a);
  }
  return { flags, pos };
}

function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function rng(seedText) {
  let a = hash32(String(seedText));
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const readText = (f) => {
  try {
    return fs.readFileSync(f, 'utf8');
  } catch {
    fail(`${f}: file not found`, 2);
  }
};
const readYaml = (f) => parseYaml(readText(f)) ?? {};
const readJson = (f) => {
  try {
    return JSON.parse(readText(f));
  } catch {
    fail(`${f}: not valid JSON`);
  }
};
function write(file, text) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}
const writeJson = (f, v) => write(f, `${JSON.stringify(v, null, 2)}\n`);
const need = (flags, k, name) => flags[k] ?? fail(`missing option ${k} (${name})`, 2);
const seedOf = (flags) => (flags['--seed'] !== undefined ? Number(flags['--seed']) : Math.floor(Math.random() * 1e6));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function switches(cmd) {
  const is = (name) => (process.env[name] ?? '').split(',').some((s) => s.split(':')[0] === cmd);
  if (is('EXTROPY_STANDIN_FAIL')) fail(`${cmd} failed (EXTROPY_STANDIN_FAIL)`);
  if (is('EXTROPY_STANDIN_HANG')) {
    process.stderr.write(`extropy: ${cmd}: hanging (EXTROPY_STANDIN_HANG)\n`);
    setInterval(() => undefined, 1 << 30);
    return 'hang';
  }
  const die = (process.env.EXTROPY_STANDIN_DIE ?? '').split(',').find((s) => s.split(':')[0] === cmd);
  return { bad: is('EXTROPY_STANDIN_BAD'), dieAt: die === undefined ? null : Number(die.split(':')[1] ?? 3) };
}
const dieNow = () => process.kill(process.pid, 'SIGKILL');

const commands = {
  spec({ pos, flags }) {
    const desc = pos[0] ?? fail('spec needs a description', 2);
    const r = rng(desc);
    const spec = {
      name: desc,
      size: 200,
      attributes: {
        age: { min: 18, max: 80 },
        income_band: ['low', 'middle', 'high'],
        region: ['north', 'south', 'east', 'west'],
      },
      base_openness: Number((0.3 + r() * 0.4).toFixed(3)),
    };
    write(need(flags, '-o', 'output file'), toYaml(spec));
  },
  extend({ pos, flags }) {
    const spec = readYaml(pos[0] ?? fail('extend needs a spec file', 2));
    spec.scenario_attributes = { context: need(flags, '-s', 'scenario'), commute_minutes: { min: 5, max: 90 } };
    write(need(flags, '-o', 'output file'), toYaml(spec));
  },
  sample({ pos, flags }, sw) {
    const spec = readYaml(pos[0] ?? fail('sample needs a population file', 2));
    const seed = seedOf(flags);
    const n = Number(flags['-n'] ?? spec.size ?? 200);
    const r = rng(`sample:${seed}:${JSON.stringify(spec)}`);
    const count = sw.bad ? Math.max(0, n - 7) : n;
    const pick = (xs) => xs[Math.floor(r() * xs.length)];
    const agents = [];
    for (let i = 0; i < count; i++) {
      agents.push({ id: `a${i}`, age: 18 + Math.floor(r() * 62), income_band: pick(spec.attributes?.income_band ?? ['middle']), region: pick(spec.attributes?.region ?? ['north']), openness: Number(((spec.base_openness ?? 0.5) * (0.5 + r())).toFixed(4)) });
      if (sw.dieAt !== null && i === Math.floor(count / 2)) {
        write(flags['-o'], JSON.stringify({ agents }).slice(0, 100));
        dieNow();
      }
    }
    writeJson(need(flags, '-o', 'output file'), { seed, requested: n, agents });
  },
  network({ pos, flags }) {
    const { agents } = readJson(pos[0] ?? fail('network needs an agents file', 2));
    const cfg = flags['-c'] !== undefined ? readYaml(flags['-c']) : {};
    const seed = seedOf(flags);
    const degree = Number(flags['--avg-degree'] ?? cfg.avg_degree ?? 20);
    const r = rng(`network:${seed}:${agents.length}:${degree}`);
    const edges = [];
    for (let i = 0; i < agents.length; i++) {
      for (let k = 0; k < degree / 2; k++) {
        const j = Math.floor(r() * agents.length);
        if (j !== i) edges.push([agents[i].id, agents[j].id]);
      }
    }
    writeJson(need(flags, '-o', 'output file'), { seed, avg_degree: degree, nodes: agents.map((a) => a.id), edges });
  },
  persona({ pos, flags }) {
    const spec = readYaml(pos[0] ?? fail('persona needs a population file', 2));
    const agents = flags['-a'] !== undefined ? readJson(flags['-a']).agents : [];
    const personas = { population: spec.name, template: 'You are a {age}-year-old resident of the {region} with {income_band} income.', count: agents.length };
    write(flags['-o'] ?? 'population.persona.yaml', toYaml(personas));
  },
  scenario({ flags }) {
    const pop = readYaml(need(flags, '-p', 'population'));
    const agents = readJson(need(flags, '-a', 'agents')).agents;
    const network = readJson(need(flags, '-n', 'network'));
    const d = flags['-d'] ?? 'a scenario';
    const described = fs.existsSync(d) ? readYaml(d) : { description: d };
    const scenario = {
      name: described.name ?? 'scenario',
      description: described.description ?? d,
      population: pop.name,
      agents: flags['-a'],
      network: flags['-n'],
      population_size: agents.length,
      edges: network.edges.length,
      exposure_rate: described.exposure_rate ?? 0.3,
      adoption_bias: described.adoption_bias ?? 0,
      timesteps: described.timesteps ?? 12,
    };
    write(flags['-o'] ?? 'scenario.yaml', toYaml(scenario));
  },
  estimate({ pos, flags }) {
    const sc = readYaml(pos[0] ?? fail('estimate needs a scenario file', 2));
    const calls = sc.population_size * sc.timesteps;
    const est = { llm_calls: calls, tokens: calls * 900, cost_usd: Number((calls * 0.0004).toFixed(2)) };
    process.stdout.write(flags['--json'] ? `${JSON.stringify(est)}\n` : `Estimated ${est.llm_calls} calls, ${est.tokens} tokens, $${est.cost_usd}\n`);
  },
  async simulate({ pos, flags }, sw) {
    const scenarioFile = pos[0] ?? fail('simulate needs a scenario file', 2);
    const sc = readYaml(scenarioFile);
    const out = need(flags, '-o', 'results dir');
    const seed = seedOf(flags);
    const threshold = Number(flags['-t'] ?? 3);
    const chunk = Number(flags['--chunk-size'] ?? 50);
    const { agents } = readJson(sc.agents);
    const { edges } = readJson(sc.network);
    fs.mkdirSync(out, { recursive: true });
    const dbFile = path.join(out, 'simulation.db');
    let db = { seed, threshold, step: 0, exposures: {}, adopted: {}, rejected: {}, by_timestep: [], timeline: [] };
    let resumedFrom = 0;
    if (fs.existsSync(dbFile)) {
      const prev = JSON.parse(fs.readFileSync(dbFile, 'utf8'));
      if (prev.step < sc.timesteps && (prev.seed !== seed || prev.threshold !== threshold)) fail(`${dbFile}: was started with seed ${prev.seed} and threshold ${prev.threshold}; refusing to resume with seed ${seed} and threshold ${threshold}`);
      if (prev.step < sc.timesteps) {
        db = prev;
        resumedFrom = prev.step;
      }
    }
    const neighbours = new Map(agents.map((a) => [a.id, []]));
    for (const [a, b] of edges) {
      neighbours.get(a)?.push(b);
      neighbours.get(b)?.push(a);
    }
    const slow = Number(process.env.EXTROPY_STANDIN_SLOW_MS ?? 0);
    for (let t = db.step + 1; t <= sc.timesteps; t++) {
      const r = rng(`simulate:${seed}:${t}`);
      for (const a of agents) {
        if (db.adopted[a.id] || db.rejected[a.id]) continue;
        const social = (neighbours.get(a.id) ?? []).filter((n) => db.adopted[n]).length;
        if (r() < sc.exposure_rate + social * 0.02) db.exposures[a.id] = (db.exposures[a.id] ?? 0) + 1;
        const ex = db.exposures[a.id] ?? 0;
        if (ex >= threshold) {
          if (r() < a.openness + sc.adoption_bias + 0.15) {
            db.adopted[a.id] = t;
            db.timeline.push({ timestep: t, agent: a.id, event: 'adopted' });
          } else if (r() < 0.25) {
            db.rejected[a.id] = t;
            db.timeline.push({ timestep: t, agent: a.id, event: 'rejected' });
          }
        }
      }
      db.by_timestep.push({ timestep: t, adopters: Object.keys(db.adopted).length, rejecters: Object.keys(db.rejected).length, exposed: Object.keys(db.exposures).length });
      db.step = t;
      fs.writeFileSync(`${dbFile}.tmp`, JSON.stringify(db));
      fs.renameSync(`${dbFile}.tmp`, dbFile);
      if (slow > 0) await sleep(slow);
      if (sw.dieAt !== null && t === sw.dieAt) dieNow();
    }
    const n = agents.length;
    const adopters = Object.keys(db.adopted).length;
    const rejecters = Object.keys(db.rejected).length;
    writeJson(path.join(out, 'by_timestep.json'), db.by_timestep);
    writeJson(path.join(out, 'outcome_distributions.json'), {
      adoption_rate: Number((adopters / n).toFixed(6)),
      rejection_rate: Number((rejecters / n).toFixed(6)),
      outcomes: { adopted: adopters, rejected: rejecters, undecided: n - adopters - rejecters },
    });
    writeJson(path.join(out, 'agent_states.json'), Object.fromEntries(agents.map((a) => [a.id, db.adopted[a.id] ? 'adopted' : db.rejected[a.id] ? 'rejected' : 'undecided'])));
    write(path.join(out, 'timeline.jsonl'), db.timeline.map((e) => JSON.stringify(e)).join('\n') + (db.timeline.length > 0 ? '\n' : ''));
    writeJson(path.join(out, 'meta.json'), {
      scenario_name: sc.name,
      scenario_path: scenarioFile,
      population_size: n,
      model: 'standin-model',
      seed,
      multi_touch_threshold: threshold,
      chunk_size: chunk,
      resumed_from_timestep: resumedFrom,
      stop_reason: 'completed',
      completed_at: new Date().toISOString(),
      cost: { usd: 0 },
    });
  },
  results({ pos, flags }) {
    const dir = pos[0] ?? fail('results needs a results dir', 2);
    const o = readJson(path.join(dir, 'outcome_distributions.json'));
    const meta = readJson(path.join(dir, 'meta.json'));
    const states = readJson(path.join(dir, 'agent_states.json'));
    const summary = { scenario: meta.scenario_name, seed: meta.seed, adoption_rate: o.adoption_rate, rejection_rate: o.rejection_rate, agents: Object.keys(states).length };
    process.stdout.write(flags['--json'] ? `${JSON.stringify(summary, null, 2)}\n` : `adoption ${o.adoption_rate}, rejection ${o.rejection_rate} (${summary.agents} agents)\n`);
  },
  validate({ pos }) {
    const f = pos[0] ?? fail('validate needs a file', 2);
    const text = readText(f);
    let v;
    try {
      v = /\.json$/.test(f) ? JSON.parse(text) : parseYaml(text);
    } catch {
      fail(`${f}: does not parse`);
    }
    if (v?.edges && v?.nodes) {
      const nodes = new Set(v.nodes);
      const orphan = v.edges.find(([a, b]) => !nodes.has(a) || !nodes.has(b));
      if (orphan) fail(`${f}: orphan edge endpoint ${orphan.join(' - ')}`);
    }
    if (f.endsWith('scenario.yaml') && (typeof v?.timesteps !== 'number' || typeof v?.exposure_rate !== 'number')) fail(`${f}: scenario needs timesteps and exposure_rate`);
    process.stdout.write(`${f}: valid\n`);
  },
  config() {
    process.stdout.write('provider: standin\nmodel: standin-model\n');
  },
};

const argv = process.argv.slice(2);
if (argv.includes('--version')) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const global = argv.filter((a) => a === '--json' || a === '--cost');
const rest = argv.filter((a) => a !== '--json' && a !== '--cost');
const [cmd, ...args] = rest;
const fn = commands[cmd];
if (fn === undefined) fail(`unknown command ${JSON.stringify(cmd ?? '')} (spec, extend, sample, network, persona, scenario, estimate, simulate, results, validate, config)`, 2);
const parsed = parseArgs(args);
for (const g of global) parsed.flags[g] = true;
const sw = switches(cmd);
if (sw !== 'hang') await fn(parsed, sw);
