/**
 * The layering holds: the lint rule refuses an upward import (checked here with ESLint itself, so
 * a typo in its pattern cannot make it pass silently), only the two IPC wrappers touch
 * ipcMain/ipcRenderer, and no file or folder of src/ is in an import cycle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

async function lintErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('the layering lint rule', () => {
  it.each([
    ['src/main/kinesis/probe.ts', "import { x } from '../app/sources';"],
    ['src/main/lib/probe.ts', "import { x } from '../kinesis/streamReader';"],
    ['src/main/engine/probe.ts', "import { x } from '../cdc/cdcService';"],
    ['src/main/warehouse/probe.ts', "import { x } from '../engine/engineLoop';"],
    ['src/main/kinesis/probe.ts', "import { x } from '../warehouse/loader';"],
    ['src/main/mysql/probe.ts', "import { x } from '../cli/common';"],
    ['src/main/app/probe.ts', "import { x } from '../shell/window';"],
    ['src/main/cli/probe.ts', "import { x } from '../shell/window';"],
    ['src/shared/probe.ts', "import { x } from '../main/lib/random';"],
    ['src/shared/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['src/main/app/probe.ts', "import { app } from 'electron';"],
    ['src/main/health/probe.ts', "import { x } from '../app/sources';"],
    ['src/main/health/probe.ts', "import { x } from '../cli/common';"],
    ['src/main/engine/probe.ts', "import { x } from '../health/runHealth';"],
    ['src/main/warehouse/probe.ts', "import { x } from '../health/lagRules';"],
    ['src/main/health/probe.ts', "import { app } from 'electron';"],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await lintErrors(file, `${code}\nexport const y = x;\n`)).not.toEqual([]);
  });

  it.each([
    ['src/main/app/probe.ts', "import { x } from '../kinesis/streamReader';"],
    ['src/main/cdc/probe.ts', "import { x } from '../mysql/connect';"],
    ['src/main/warehouse/probe.ts', "import { x } from '../kinesis/streamReader';"],
    ['src/main/app/probe.ts', "import { x } from '../warehouse/loader';"],
    ['src/main/cli/probe.ts', "import { x } from '../app/sources';"],
    ['src/main/shell/probe.ts', "import { app } from 'electron';"],
    ['src/main/health/probe.ts', "import { x } from '../engine/customerDirectory';"],
    ['src/main/health/probe.ts', "import { x } from '../warehouse/loaderProgress';"],
    ['src/main/app/probe.ts', "import { x } from '../health/runHealth';"],
    ['src/main/cli/probe.ts', "import { x } from '../health/plan';"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await lintErrors(file, `${code}\nexport const y = x;\n`)).toEqual([]);
  });
});

describe('only the two IPC wrappers touch ipcMain / ipcRenderer', () => {
  const ipcErrors = async (file: string, code: string): Promise<string[]> => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText(code, { filePath: join(root, file) });
    return (result?.messages ?? [])
      .filter((m) =>
        ['@typescript-eslint/no-restricted-imports', 'no-restricted-properties'].includes(
          m.ruleId ?? '',
        ),
      )
      .map((m) => m.message);
  };

  it.each([
    ['src/main/index.ts', "import { ipcMain } from 'electron';\nexport const y = ipcMain;"],
    ['src/main/shell/window.ts', "import { ipcMain } from 'electron';\nexport const y = ipcMain;"],
    ['src/main/shell/probe.ts', "import * as e from 'electron';\nexport const y = e.ipcMain;"],
    [
      'src/preload/probe.ts',
      "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;",
    ],
    [
      'src/main/shell/probe.ts',
      "const { ipcMain } = require('electron');\nexport const y = ipcMain;",
    ],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await ipcErrors(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/main/shell/ipc.ts', "import { ipcMain } from 'electron';\nexport const y = ipcMain;"],
    [
      'src/preload/index.ts',
      "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;",
    ],
    [
      'src/main/shell/probe.ts',
      "import type { IpcMain } from 'electron';\nexport type Y = IpcMain;",
    ],
  ])('allows in %s: %s', async (file, code) => {
    expect(await ipcErrors(file, code)).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = spec.startsWith('@shared/')
    ? join(root, 'src/shared', spec.slice('@shared/'.length))
    : spec.startsWith('.')
      ? resolve(dirname(from), spec)
      : undefined;
  if (base === undefined) return undefined;
  return ['.ts', '.tsx', '/index.ts', '/index.tsx']
    .map((ext) => base + ext)
    .find((path) => existsSync(path));
}

/** Every import edge between files of src/ (type-only imports too: they tie modules as well). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
    const targets = specs.flatMap((s) => resolveImport(file, s) ?? []);
    graph.set(relative(root, file), [...new Set(targets.map((t) => relative(root, t)))]);
  }
  return graph;
}

/** Strongly connected components with more than one member, or a member importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) {
          onStack.delete(w);
          scc.push(w);
        }
      } while (w !== undefined && w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports', () => {
  const files = importGraph();

  it('have no cycle between files', () => {
    expect(files.size).toBeGreaterThan(50);
    expect(cycles(files)).toEqual([]);
  });

  it('have no cycle between folders', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of files) {
      const from = dirname(file);
      const out = targets.map((t) => dirname(t)).filter((to) => to !== from);
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...out])]);
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('of the renderer and the preload reach nothing of src/main (data both need is in src/shared)', () => {
    const upward = [...files].flatMap(([file, targets]) =>
      /^src\/(renderer|preload)\//.test(file)
        ? targets.filter((t) => t.startsWith('src/main/')).map((t) => `${file} → ${t}`)
        : [],
    );
    expect(upward).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself works)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });
});
