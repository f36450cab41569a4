/**
 * Read and validate a whole tracks file before anything starts (issue 10): shape (unknown keys,
 * types), duplicate track ids, and each task path — found, a file, inside the repository (no `..`,
 * no absolute path, no symlink leading out), a task file with a title, listed once. The first
 * problem is thrown as a ValidationError naming the file and the field (exit 2).
 *
 * Task paths are looked up relative to the tracks file's directory, then the repository root, then
 * `.runr/` (the guide's `tasks/auth-backend.md` next to a root `tracks.yaml` means
 * `.runr/tasks/auth-backend.md` when that is where `runr init` put the task files).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, ValidationError } from '../core/errors.js';
import type { OrchTaskSpec } from '../core/events/orchestration.js';
import { checkTracks, duplicateTask, TracksFileSchema } from '../core/orchestrate/tracks-file.js';
import { sha256Text } from '../store/hash.js';
import type { Project } from '../store/project.js';
import { relToRoot } from '../store/project.js';
import { parseWithSchema, readTextFile } from '../store/read-json.js';
import { parseTaskText } from '../tasks/task-file.js';

export interface LoadedTracks {
  /** Repository-relative tracks file (or the path as given when it is outside). */
  file: string;
  sha256: string;
  tracks: Array<{ id: string; tasks: OrchTaskSpec[] }>;
}

function inside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root + path.sep);
}

function resolveTask(project: Project, configDir: string, raw: string, display: string, field: string): { abs: string; rel: string } {
  const fail = (problem: string): never => {
    throw new ValidationError(display, field, problem);
  };
  if (raw.includes('\0')) fail('the path contains a NUL byte');
  if (path.isAbsolute(raw) || /^[A-Za-z]:[\\/]/.test(raw)) fail(`${JSON.stringify(raw)} is absolute; task paths are relative to the repository`);
  if (raw.split(/[\\/]/).includes('..')) fail(`${JSON.stringify(raw)} leaves the repository ("..")`);
  const root = fs.realpathSync(project.root);
  const candidates = [...new Set([configDir, project.root, project.runrDir].map((d) => path.resolve(d, raw)))];
  const found = candidates.find((c) => {
    try {
      fs.lstatSync(c);
      return true;
    } catch {
      return false;
    }
  });
  if (found === undefined) return fail(`${raw}: file not found (looked in ${[configDir, project.root, project.runrDir].map((d) => relToRoot(project, d) || '.').filter((v, i, a) => a.indexOf(v) === i).join(', ')})`);
  let real: string;
  try {
    real = fs.realpathSync(found);
  } catch {
    return fail(`${raw}: a symlink that points nowhere`);
  }
  if (!inside(root, real)) fail(`${raw} resolves outside the repository (a symlink)`);
  const st = fs.statSync(real);
  if (st.isDirectory()) fail(`${raw} is a directory, expected a task file (.md)`);
  if (!st.isFile()) fail(`${raw} is not a regular file`);
  const rel = path.relative(root, real).split(path.sep).join('/');
  if (rel.split('/')[0] === '.git') fail(`${raw} is inside .git/`);
  return { abs: real, rel };
}

export async function loadTracks(project: Project, cwd: string, configArg: string): Promise<LoadedTracks> {
  const abs = path.resolve(cwd, configArg);
  const display = inside(project.root, abs) ? relToRoot(project, abs) : configArg;
  const text = readTextFile(abs, display);
  if (text.includes('\uFFFD')) throw new ValidationError(display, '', 'not valid UTF-8');
  let raw: unknown;
  try {
    const { parse } = await import('yaml');
    raw = parse(text, { uniqueKeys: true, maxAliasCount: 100 }) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ValidationError(display, '', `not valid YAML (${msg})`);
  }
  if (raw === null || raw === undefined) throw new ValidationError(display, '', 'the file is empty; expected tracks: [{id, tasks: [{path}]}]');
  const file = parseWithSchema(TracksFileSchema, raw, display);
  const dup = checkTracks(file);
  if (dup !== null) throw new ValidationError(display, dup.field, dup.problem);
  const configDir = path.dirname(abs);
  const seen: Array<{ field: string; rel: string }> = [];
  const tracks: LoadedTracks['tracks'] = [];
  for (const [i, t] of file.tracks.entries()) {
    const tasks: OrchTaskSpec[] = [];
    for (const [j, k] of t.tasks.entries()) {
      const field = `tracks[${i}].tasks[${j}].path`;
      const r = resolveTask(project, configDir, k.path, display, field);
      seen.push({ field, rel: r.rel });
      const twice = duplicateTask(seen);
      if (twice !== null) throw new ValidationError(display, twice.field, twice.problem);
      let body: string;
      try {
        body = fs.readFileSync(r.abs, 'utf8');
      } catch (err) {
        throw new ValidationError(display, field, `${k.path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (body.includes('\uFFFD')) throw new ValidationError(display, field, `${k.path}: not valid UTF-8`);
      const task = parseTaskText(body);
      if (task.title === '') throw new ValidationError(display, field, `${k.path}: not a task file (no "# Title" line and no "## Goal" section)`);
      tasks.push({ path: r.rel, title: task.title, owns: task.owns, files_expected: task.files_expected });
    }
    tracks.push({ id: t.id, tasks });
  }
  if (tracks.length === 0) throw new UserError(`${display}: no tracks`);
  return { file: display, sha256: sha256Text(text), tracks };
}
