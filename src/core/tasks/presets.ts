/**
 * Scope presets (`scope.presets`): named allowlist additions for common stacks, detected by
 * `runr init` from dependencies. Patterns are picomatch globs relative to the repository root.
 */
export const SCOPE_PRESETS = {
  nextjs: ['app/**', 'pages/**', 'src/app/**', 'src/pages/**', 'components/**', 'src/components/**', 'lib/**', 'public/**', 'styles/**', 'middleware.ts', 'next.config.*', 'next-env.d.ts'],
  react: ['src/**', 'components/**', 'public/**', 'index.html'],
  drizzle: ['drizzle/**', 'src/db/**', 'db/**', 'drizzle.config.*'],
  prisma: ['prisma/schema.prisma', 'prisma/migrations/**', 'prisma/seed.*'],
  vitest: ['**/*.test.*', '**/*.spec.*', 'test/**', 'tests/**', '__tests__/**', 'vitest.config.*', 'vitest.setup.*'],
  jest: ['**/*.test.*', '**/*.spec.*', 'test/**', 'tests/**', '__tests__/**', 'jest.config.*', 'jest.setup.*'],
  playwright: ['e2e/**', 'tests/**', 'playwright.config.*'],
  typescript: ['src/**', '**/*.ts', '**/*.tsx', 'tsconfig*.json'],
  tailwind: ['tailwind.config.*', 'postcss.config.*', '**/*.css'],
  eslint: ['eslint.config.*', '.eslintrc*', '.eslintignore'],
  /** Example env files only: real `.env` files stay on the default denylist. */
  env: ['.env.example', '.env.sample', '.env.template', '**/.env.example'],
  pytest: ['tests/**', 'test/**', '**/test_*.py', '**/*_test.py', 'conftest.py', '**/conftest.py', 'pytest.ini', 'pyproject.toml', 'src/**', '**/*.py'],
} as const satisfies Record<string, readonly string[]>;

export type ScopePreset = keyof typeof SCOPE_PRESETS;
export const SCOPE_PRESET_NAMES = Object.keys(SCOPE_PRESETS) as [ScopePreset, ...ScopePreset[]];

/** Lockfiles (matched by file name at any depth) need `--allow-deps`. */
export const DEFAULT_LOCKFILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'Cargo.lock',
  'go.sum',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'Gemfile.lock',
  'composer.lock',
] as const;

/** Never allowed unless the user removes them from `scope.denylist`. */
export const DEFAULT_DENYLIST = ['.env', '**/.env', '**/.env.local', '**/.env.*.local', '**/.env.production', '**/*.pem', '**/id_rsa*'] as const;
