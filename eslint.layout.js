// The layout rule of src/ARCHITECTURE.md, as lint rules on paths. Its own module so that
// test/unit/layout.test.ts can lint a violating text with exactly these rules (no type info needed).
import { createNodeResolver } from 'eslint-plugin-import-x';

// Sources import './x.js' for './x.ts' (NodeNext): resolve that, or path rules and no-cycle see nothing.
export const importResolver = {
  'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.node'], extensionAlias: { '.js': ['.ts', '.js'] } })],
};

const CLOCK = 'src/core is pure: no clock (pass `now` in).';

/** Flat-config blocks; they need the import-x plugin registered (eslint.config.js does). */
export const layoutRules = [
  // Paths are checked on resolved files, so every spelling of an import (../cli/x.js,
  // ../../cli/x.js, import('...')) is caught.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // src/core is pure: no node module, no process, no clock; it depends on nothing outside src/core.
      'import-x/no-nodejs-modules': ['error'],
      'no-restricted-imports': ['error', { patterns: [{ group: ['execa', 'chokidar'], message: 'src/core is pure: no I/O packages.' }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core is pure: pass what you need from process in.' }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: CLOCK },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK },
        { selector: "MemberExpression[object.name='performance'][property.name='now']", message: CLOCK },
      ],
    },
  },
  // One block for both zones: a later block's options for the same rule would replace an earlier one's.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'import-x/no-restricted-paths': ['error', {
        basePath: import.meta.dirname,
        zones: [
          { target: './src', from: './src/cli', message: 'Only src/cli knows the terminal: families return data and never import from src/cli.' },
          { target: './src/core', from: './src', except: ['./core'], message: 'src/core depends on nothing outside src/core.' },
        ],
      }],
    },
  },
];
