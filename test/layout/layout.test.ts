/**
 * The layout rule (src/ARCHITECTURE.md) holds and its lint rules bite: a violating text under
 * src/core and under a family fails the lint; the sources have no import cycle at run time,
 * counting dynamic imports too (eslint's import-x/no-cycle sees static imports only). Type-only
 * imports (`import type`, `export type … from`) are erased by tsc and esbuild, so they are not edges.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS config module without types
import { importResolver, layoutRules } from '../../eslint.layout.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function layoutLinter(): ESLint {
  return new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { 'import-x': importX }, settings: importResolver },
      ...(layoutRules as ESLint.Options['overrideConfig'][]),
    ] as ESLint.Options['overrideConfig'],
  });
}

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [r] = await layoutLinter().lintText(code, { filePath: path.join(root, filePath) });
  expect(r?.messages.filter((m) => m.fatal === true)).toEqual([]);
  return (r?.messages ?? []).map((m) => m.ruleId ?? '');
}

describe('layout lint rules', () => {
  it('src/core: a node module, an import from outside core, process and the clock all fail', async () => {
    const code = [
      "import fs from 'node:fs';",
      "import { openStore } from '../store/open-store.js';",
      'export const a = fs.existsSync(process.cwd()) ? openStore : null;',
      'export const b = Date.now() + new Date().getTime();',
      '',
    ].join('\n');
    const ids = await ruleIds('src/core/zz-violation.ts', code);
    expect(ids).toContain('import-x/no-nodejs-modules');
    expect(ids).toContain('import-x/no-restricted-paths');
    expect(ids).toContain('no-restricted-globals');
    expect(ids.filter((x) => x === 'no-restricted-syntax')).toHaveLength(2);
  });

  it('a family importing from src/cli fails, at any depth and by dynamic import', async () => {
    expect(await ruleIds('src/tasks/zz-violation.ts', "import type { CliContext } from '../cli/context.js';\nexport type X = CliContext;\n")).toEqual(['import-x/no-restricted-paths']);
    expect(await ruleIds('src/manifest/adapters/zz-violation.ts', "export const m = () => import('../../cli/style.js');\n")).toEqual(['import-x/no-restricted-paths']);
  });

  it('the same imports are fine where the rule allows them', async () => {
    expect(await ruleIds('src/cli/commands/zz-ok.ts', "import type { CliContext } from '../context.js';\nimport { openStore } from '../../store/open-store.js';\nexport type X = CliContext;\nexport const o = openStore;\n")).toEqual([]);
    expect(await ruleIds('src/core/zz-ok.ts', "import * as z from 'zod';\nimport { ExitCode } from './errors.js';\nexport const s = z.string();\nexport const now = (d: Date) => d.getTime() + ExitCode.ok;\n")).toEqual([]);
  });
});

describe('import graph of src/', () => {
  it('has no cycle (static and dynamic value imports)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) files.push(p);
      }
    };
    walk(path.join(root, 'src'));
    // A statement starting `import type` / `export type` imports types only; anything else is a value edge.
    const RE = /(?:^[ \t]*(import|export)(\s+type\b)?[^;'"]*?from\s+|import\s*\(\s*|^[ \t]*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const deps: string[] = [];
      for (const m of fs.readFileSync(f, 'utf8').matchAll(RE)) {
        if (m[2] !== undefined) continue;
        const target = path.resolve(path.dirname(f), (m[3] as string).replace(/\.js$/, '.ts'));
        if (fs.existsSync(target)) deps.push(target);
      }
      graph.set(f, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => path.relative(root, x)).join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
