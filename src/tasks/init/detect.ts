/**
 * `runr init` detection (operator guide §0): verification commands from package.json scripts
 * (typecheck/lint → tier0, build → tier1, test → tier2), pyproject.toml (ruff/mypy → tier0,
 * pytest → tier2), go.mod and Cargo.toml; scope presets from dependencies; an allowlist from the
 * source directories that exist; the agent CLI found on PATH.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { ScopePreset } from '../../core/tasks/presets.js';

export interface Detection {
  verification: { tier0: string[]; tier1: string[]; tier2: string[] };
  presets: ScopePreset[];
  allowlist: string[];
  /** Files the detection read. */
  sources: string[];
  /** `claude`, `codex`, or null when neither is on PATH. */
  agent: 'claude' | 'codex' | null;
}

const PackageJsonSchema = z.looseObject({
  name: z.string().optional(),
  scripts: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
});

/** Dependency name → preset. */
const DEP_PRESETS: Array<[RegExp, ScopePreset]> = [
  [/^next$/, 'nextjs'],
  [/^react$/, 'react'],
  [/^drizzle-(orm|kit)$/, 'drizzle'],
  [/^(prisma|@prisma\/client)$/, 'prisma'],
  [/^vitest$/, 'vitest'],
  [/^jest$/, 'jest'],
  [/^@playwright\/test$|^playwright$/, 'playwright'],
  [/^typescript$/, 'typescript'],
  [/^tailwindcss$/, 'tailwind'],
  [/^eslint$/, 'eslint'],
  [/^dotenv$/, 'env'],
];

const SOURCE_DIRS = ['src', 'lib', 'app', 'pages', 'components', 'test', 'tests', 'spec', '__tests__', 'e2e', 'cmd', 'internal', 'pkg', 'scripts'];

function read(root: string, rel: string): string | null {
  try {
    return fs.readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return null;
  }
}

function packageManager(root: string): { run: (s: string) => string; test: string } {
  const has = (f: string) => fs.existsSync(path.join(root, f));
  if (has('pnpm-lock.yaml')) return { run: (s) => `pnpm run ${s}`, test: 'pnpm test' };
  if (has('yarn.lock')) return { run: (s) => `yarn ${s}`, test: 'yarn test' };
  if (has('bun.lockb') || has('bun.lock')) return { run: (s) => `bun run ${s}`, test: 'bun run test' };
  return { run: (s) => `npm run ${s}`, test: 'npm test' };
}

export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export function detectProject(root: string, env: NodeJS.ProcessEnv = process.env): Detection {
  const d: Detection = { verification: { tier0: [], tier1: [], tier2: [] }, presets: [], allowlist: [], sources: [], agent: null };
  const addPreset = (p: ScopePreset) => {
    if (!d.presets.includes(p)) d.presets.push(p);
  };

  const pkgText = read(root, 'package.json');
  if (pkgText !== null) {
    d.sources.push('package.json');
    let raw: unknown = {};
    try {
      raw = JSON.parse(pkgText) as unknown;
    } catch {
      raw = {};
    }
    const pkg = PackageJsonSchema.safeParse(raw);
    if (pkg.success) {
      const scripts = pkg.data.scripts ?? {};
      const pm = packageManager(root);
      for (const s of ['typecheck', 'lint']) if (scripts[s] !== undefined) d.verification.tier0.push(pm.run(s));
      if (scripts.build !== undefined) d.verification.tier1.push(pm.run('build'));
      if (scripts.test !== undefined && !/no test specified/.test(scripts.test)) d.verification.tier2.push(pm.test);
      const deps = [...Object.keys(pkg.data.dependencies ?? {}), ...Object.keys(pkg.data.devDependencies ?? {})];
      for (const dep of deps) for (const [re, preset] of DEP_PRESETS) if (re.test(dep)) addPreset(preset);
    }
  }

  const py = read(root, 'pyproject.toml');
  if (py !== null) {
    d.sources.push('pyproject.toml');
    if (/\bruff\b/.test(py)) d.verification.tier0.push('ruff check .');
    if (/\bmypy\b/.test(py)) d.verification.tier0.push('mypy .');
    if (/\bpytest\b/.test(py)) {
      d.verification.tier2.push('pytest');
      addPreset('pytest');
    }
  }

  if (read(root, 'go.mod') !== null) {
    d.sources.push('go.mod');
    d.verification.tier0.push('go vet ./...');
    d.verification.tier1.push('go build ./...');
    d.verification.tier2.push('go test ./...');
  }

  if (read(root, 'Cargo.toml') !== null) {
    d.sources.push('Cargo.toml');
    d.verification.tier0.push('cargo check');
    d.verification.tier1.push('cargo build');
    d.verification.tier2.push('cargo test');
  }

  if (fs.existsSync(path.join(root, '.env.example'))) addPreset('env');
  for (const dir of SOURCE_DIRS) {
    try {
      if (fs.statSync(path.join(root, dir)).isDirectory()) d.allowlist.push(`${dir}/**`);
    } catch {
      // absent
    }
  }
  d.agent = onPath('claude', env) !== null ? 'claude' : onPath('codex', env) !== null ? 'codex' : null;
  return d;
}

/** The task sections of `.runr/runr.config.json` for a detection. */
export function taskConfigSections(root: string, d: Detection): Record<string, unknown> {
  const agent = d.agent ?? 'claude';
  return {
    agent: { name: path.basename(root), version: '1' },
    scope: { allowlist: d.allowlist, presets: d.presets },
    verification: d.verification,
    workers: { [agent]: { adapter: agent } },
    phases: { plan: agent, implement: agent, review: agent },
    limits: { max_verify_retries: 3, max_review_rounds: 2 },
  };
}
