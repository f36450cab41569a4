/**
 * The shape of a bad-input case, and builders shared by the corpus files.
 * Each case runs in its own copy of a template repository (see bad-input.test.ts) that holds:
 *  - the fixture contracts (orchestration/gates/contracts/G{1,2,3}.contract.json) and workflow;
 *  - `good`: a run made by runr (G1 started, an invocation, G1 finished: 4 journal events);
 *  - `legacy`: a copy of the Orchestration Runner's run run_20260121T024259697Z_test-partial_qhl9a6
 *    (RUN.json and attempt files, no journal, no logs/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fixtureDir } from '../helpers/cli.js';

export interface Ctx {
  good: string;
  legacy: string;
  /** Repository-relative record directory of a run. */
  rec: (id: string) => string;
  /** The raw journal lines of `good`. */
  goodJournal: string[];
}

/** Files to write before the command (string, or an object written as JSON); null deletes. */
export type Files = Record<string, string | object | null>;

export interface BadCase {
  name: string;
  files?: Files | ((ctx: Ctx) => Files);
  args: string[] | ((ctx: Ctx) => string[]);
  /** The one error line must be `error: <file>: <field>: <problem>`. */
  file?: string | ((ctx: Ctx) => string);
  field?: string;
  /** Otherwise (flags and arguments) the line must name this flag. */
  flag?: string;
}

export const LEGACY_ID = 'run_20260121T024259697Z_test-partial_qhl9a6';

type Json = Record<string, unknown>;

/** A fixture contract (G1, G2 or G3) as an object, changed by `edit`. */
export function contract(gate: 'G1' | 'G2' | 'G3', edit: (c: Json & { validations: Json[]; required_outputs: Json }) => void): Json {
  const c = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'contracts', `${gate}.contract.json`), 'utf8')) as Json & { validations: Json[]; required_outputs: Json };
  edit(c);
  return c;
}

/** The legacy fixture RUN.json, changed by `edit`. */
export function legacyRun(edit: (r: Json & { gates: Array<Json & { attempts: Json[] }> }) => void): Json {
  const r = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'runs', LEGACY_ID, 'record', 'RUN.json'), 'utf8')) as Json & { gates: Array<Json & { attempts: Json[] }> };
  edit(r);
  return r;
}

/** A small valid workflow (fixture contracts) with `edit` applied. */
export function workflow(edit: (w: Json & { gates: Json[] }) => void = () => {}): Json {
  const w = {
    workflow: 'bad',
    version: 'test',
    gates: [
      { gate: 'G1', name: 'Intake', agent: 'a', contract: 'orchestration/gates/contracts/G1.contract.json' },
      { gate: 'G2', name: 'Research', agent: 'b', contract: 'orchestration/gates/contracts/G2.contract.json' },
    ] as Json[],
  };
  edit(w);
  return w;
}

export const START = ['run', 'start', '--slug', 's', '--artifact-path', 'essays/s', '--json'];
export const startWith = (wf: string) => ['run', 'start', '--workflow', wf, '--slug', 's', '--artifact-path', 'essays/s', '--json'];
export const ciWith = (wf: string) => ['run', wf, '--slug', 's', '--artifact-path', 'essays/s', '--json'];
