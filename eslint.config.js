import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const ADAPTER_DIRS = ['store', 'cli', 'gates', 'workflows', 'tasks', 'workers', 'git', 'ops', 'adapters', 'proc', 'project', 'manifest-cli', 'studies'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/**/*.mjs', 'scripts/**', 'test/fixtures/**', 'bin/**', '.runr/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      'import-x/no-cycle': 'error',
    },
  },
  // src/core is pure and depends on no adapter. Import paths are relative, so the adapter folders
  // are spelled per depth: from src/core/x.ts they are ../<dir>, from src/core/<sub>/x.ts ../../<dir>.
  ...[
    { files: ['src/core/*.ts'], up: '..' },
    { files: ['src/core/*/*.ts'], up: '../..' },
    { files: ['src/core/*/*/*.ts'], up: '../../..' },
  ].map(({ files, up }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:child_process', 'child_process', 'node:net', 'execa', 'chokidar'], message: 'src/core is pure: no I/O imports.' },
          { group: ADAPTER_DIRS.map((d) => `${up}/${d}/*`), message: 'src/core must not depend on adapters.' },
        ],
      }],
    },
  })),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '*.config.*'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
