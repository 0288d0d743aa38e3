// ESLint: typescript-eslint's recommended rules, React hooks, Prettier for formatting, and the
// architecture's import rules (services never import Electron; only two files touch IPC).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [
    {
      name: 'electron',
      message: 'Services stay Electron-free; wire them in src/main/index.ts or src/main/shell.',
    },
  ],
};

// The main-side and preload-side IPC wrappers: the only files that touch ipcMain/ipcRenderer.
export const IPC_WRAPPERS = ['src/main/shell/ipc.ts', 'src/preload/index.ts'];
const IPC_MESSAGE = `Only the IPC wrappers (${IPC_WRAPPERS.join(', ')}) touch ipcMain/ipcRenderer: add a channel to src/shared/channels.ts instead.`;

// Layers of src/main, lowest first. A folder imports only from layers below it (and src/shared);
// folders on one layer do not import each other. Only the shell and index.ts may import electron.
export const LAYERS = [
  ['lib'],
  ['kinesis'],
  ['simulator'],
  ['mysql'],
  ['cdc', 'engine', 'warehouse'],
  ['health'],
  ['app'],
  ['shell', 'cli'],
];

function layerRules() {
  const blocks = LAYERS.flatMap((layer, rank) =>
    layer.map((folder) => {
      const above = LAYERS.slice(rank + 1).flat();
      const forbidden = [...above, ...layer.filter((f) => f !== folder)];
      const shell = folder === 'shell';
      return {
        files: [`src/main/${folder}/**`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              ...(shell ? {} : noElectron),
              patterns: [
                {
                  regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
                  message: `src/main/${folder} is on layer ${rank + 1}: import only from the layers below it (${LAYERS.slice(0, rank).flat().join(', ') || 'src/shared'}); move a helper both need down a layer.`,
                },
              ],
            },
          ],
        },
      };
    }),
  );
  // src/shared is the bottom: contracts and pure rules, no Node, no Electron, nothing from above.
  blocks.push({
    files: ['src/shared/**', 'src/preload/**/*.d.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noElectron,
          patterns: [
            { regex: '^node:', message: 'src/shared runs in the renderer too: no Node modules.' },
            {
              regex: '^(\\.\\./)+(main|renderer)(/|$)',
              message: 'src/shared is the bottom layer.',
            },
          ],
        },
      ],
    },
  });
  return blocks;
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'test/artifacts/**',
      'coverage/**',
      '.venv-moto/**',
      '.venv-cfnlint/**',
      'deploy/cdk.out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  ...layerRules(),
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The renderer talks only to the bridge API.' }] },
      ],
    },
  },
  {
    files: ['bin/livewall'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // A spread into a call puts every element on the stack: a day's backlog overflowed it
    // (RangeError in StreamWriter.take). Loops, concat or reduce take any size. The data path:
    // everything but the CLI's help text and the build scripts.
    files: ['src/shared/**', 'src/renderer/src/**', 'src/preload/**', 'src/main/**'],
    ignores: ['src/main/cli/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(push|unshift|splice)$/] > SpreadElement',
          message:
            'No spread into push/unshift/splice: a large array overflows the stack; loop or concat.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'] > SpreadElement",
          message:
            'No spread into Math.max/min: a large array overflows the stack; use a loop or reduce.',
        },
        {
          selector:
            "CallExpression[callee.object.name='String'][callee.property.name='fromCharCode'] > SpreadElement",
          message: 'No spread into String.fromCharCode: a large array overflows the stack.',
        },
      ],
    },
  },
  {
    // Only the two IPC wrappers touch ipcMain/ipcRenderer: every channel goes through the typed
    // contract and main's payload check. Rules of their own, so the layer rules stay as they are.
    files: ['src/**'],
    ignores: [...IPC_WRAPPERS],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              allowTypeImports: true,
              message: IPC_MESSAGE,
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { property: 'ipcMain', message: IPC_MESSAGE },
        { property: 'ipcRenderer', message: IPC_MESSAGE },
      ],
    },
  },
  prettier,
);
