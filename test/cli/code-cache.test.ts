/**
 * The launcher's V8 code cache (issue 16, packaging): made on first use in the cache directory,
 * never shipped; a bad cache is replaced; old caches are pruned; RUNR_CACHE_DIR=off writes nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runrBin } from '../helpers/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-cache-'));
  dirs.push(d);
  return d;
}

function runrWith(cacheDir: string, args: string[]): { status: number | null; stdout: string } {
  const cwd = tmp();
  spawnSync('git', ['init', '-q'], { cwd });
  const r = spawnSync(process.execPath, [runrBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, RUNR_CACHE_DIR: cacheDir } });
  return { status: r.status, stdout: r.stdout };
}

const caches = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.cache')) : []);

describe('V8 code cache', () => {
  it('is written on first use, for this Node version, and not for --version', () => {
    const dir = path.join(tmp(), 'c');
    expect(runrWith(dir, ['--version']).status).toBe(0);
    expect(caches(dir)).toEqual([]);
    expect(runrWith(dir, ['run', 'list', '--json']).status).toBe(0);
    const made = caches(dir);
    expect(made).toHaveLength(1);
    expect(made[0]).toContain(`cli-${process.version}-${process.arch}-`);
    expect(fs.statSync(path.join(dir, made[0]!)).size).toBeGreaterThan(1000);
  });

  it('two checkouts of the same build keep a cache each (V8 keeps the file name a cache was made under)', () => {
    const dir = path.join(tmp(), 'c');
    const copy = tmp();
    fs.cpSync(path.join(repoRoot, 'bin'), path.join(copy, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(copy, 'dist'));
    fs.copyFileSync(path.join(repoRoot, 'dist', 'cli.cjs'), path.join(copy, 'dist', 'cli.cjs'));
    fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(copy, 'package.json'));
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'));
    expect(runrWith(dir, ['run', 'list', '--json']).status).toBe(0);
    const cwd = tmp();
    spawnSync('git', ['init', '-q'], { cwd });
    const other = spawnSync(process.execPath, [path.join(copy, 'bin', 'runr.js'), 'run', 'list', '--json'], { cwd, encoding: 'utf8', env: { ...process.env, RUNR_CACHE_DIR: dir } });
    expect(other.status, other.stderr).toBe(0);
    expect(caches(dir)).toHaveLength(2);
  });

  it('a corrupt cache still runs and is replaced', () => {
    const dir = path.join(tmp(), 'c');
    runrWith(dir, ['run', 'list', '--json']);
    const [name] = caches(dir);
    fs.writeFileSync(path.join(dir, name!), 'not a code cache');
    const r = runrWith(dir, ['run', 'list', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toBeDefined();
    expect(fs.statSync(path.join(dir, name!)).size).toBeGreaterThan(1000);
  });

  it('prunes its own checkout\'s older caches to one, and leaves other checkouts\' caches alone up to 32', () => {
    const dir = path.join(tmp(), 'c');
    expect(runrWith(dir, ['run', 'list', '--json']).status).toBe(0);
    const [real] = caches(dir);
    const where = real!.slice(real!.lastIndexOf('-')); // the bundle path's field, `-<hex>.cache`
    const fake = (name: string, day: number) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, 'old');
      fs.utimesSync(f, new Date(2020, 0, day), new Date(2020, 0, day));
    };
    for (let i = 0; i < 3; i++) fake(`cli-v0.0.${i}-x64-1-0${where}`, 1 + i); // older builds of this checkout
    for (let i = 0; i < 5; i++) fake(`cli-v0.0.${i}-x64-1-0-other${i}.cache`, 10 + i); // five other checkouts
    fs.rmSync(path.join(dir, real!)); // made again by the next command, which prunes
    expect(runrWith(dir, ['run', 'list', '--json']).status).toBe(0);
    const left = caches(dir).sort();
    expect(left).toContain(real);
    expect(left.filter((n) => n.endsWith(where)).sort()).toEqual([`cli-v0.0.2-x64-1-0${where}`, real].sort());
    expect(left.filter((n) => n.includes('-other'))).toHaveLength(5);

    // The directory as a whole: at most 32 files, the oldest of other checkouts dropped first.
    for (let i = 0; i < 40; i++) fake(`cli-v0.0.${i}-x64-1-0-many${i}.cache`, 20 + i);
    fs.rmSync(path.join(dir, real!));
    expect(runrWith(dir, ['run', 'list', '--json']).status).toBe(0);
    const now = caches(dir);
    expect(now).toHaveLength(32);
    expect(now).toContain(real);
    expect(now).toContain(`cli-v0.0.2-x64-1-0${where}`);
    expect(now).toContain('cli-v0.0.39-x64-1-0-many39.cache');
    expect(now.filter((n) => n.includes('-other'))).toEqual([]);
  });

  it('is named after the bundle\'s own sha256 line, so another build never meets it', () => {
    const first = fs.readFileSync(path.join(repoRoot, 'dist', 'cli.cjs'), 'utf8').split('\n', 1)[0]!;
    const m = /^\/\/ runr-bundle sha256:([0-9a-f]{64})$/.exec(first);
    expect(m).not.toBeNull();
    const dir = path.join(tmp(), 'c');
    expect(runrWith(dir, ['run', 'list', '--json']).status).toBe(0);
    expect(caches(dir)).toEqual([expect.stringContaining(`-${m![1]!.slice(0, 16)}-`)]);
  });

  it('a cache others may write, or a symlink, is not loaded: it is replaced by a private file', () => {
    const dir = path.join(tmp(), 'c');
    runrWith(dir, ['run', 'list', '--json']);
    const [name] = caches(dir);
    const file = path.join(dir, name!);
    fs.chmodSync(file, 0o666);
    expect(runrWith(dir, ['run', 'list', '--json']).status).toBe(0);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    // A symlink to a valid cache elsewhere: not followed; the link is replaced, its target untouched.
    const elsewhere = path.join(tmp(), 'elsewhere.cache');
    fs.copyFileSync(file, elsewhere);
    const before = fs.readFileSync(elsewhere);
    fs.rmSync(file);
    fs.symlinkSync(elsewhere, file);
    expect(runrWith(dir, ['run', 'list', '--json']).status).toBe(0);
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.readFileSync(elsewhere).equals(before)).toBe(true);
  });

  it('--version alone is answered from package.json without loading the CLI, like commander does', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const dir = path.join(tmp(), 'c');
    expect(runrWith(dir, ['--version']).stdout).toBe(`${version}\n`);
    expect(runrWith(dir, ['-V']).stdout).toBe(`${version}\n`);
    // With another option commander answers: the same line.
    expect(runrWith(dir, ['--version', '--json']).stdout).toBe(`${version}\n`);
    expect(caches(dir)).toEqual([]);
  });

  it('RUNR_CACHE_DIR=off writes nothing anywhere', () => {
    const home = tmp();
    const cwd = tmp();
    spawnSync('git', ['init', '-q'], { cwd });
    const r = spawnSync(process.execPath, [runrBin, 'run', 'list', '--json'], { cwd, encoding: 'utf8', env: { ...process.env, RUNR_CACHE_DIR: 'off', XDG_CACHE_HOME: home, HOME: home } });
    expect(r.status).toBe(0);
    expect(fs.readdirSync(home)).toEqual([]);
  });
});
