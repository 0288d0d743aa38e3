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

// Layers of src/main, lowest first. A folder imports only from layers below it (and src/shared);
// folders on one layer do not import each other. Only the shell and index.ts may import electron.
export const LAYERS = [
  ['lib'],
  ['kinesis'],
  ['simulator'],
  ['mysql'],
  ['cdc', 'engine', 'warehouse'],
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
  { ignores: ['out/**', 'node_modules/**', 'test/artifacts/**', 'coverage/**', '.venv-moto/**'] },
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
  prettier,
);
