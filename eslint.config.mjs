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
  {
    // Every folder but the Electron shell (src/main/shell, src/main/index.ts).
    files: ['src/main/**', 'src/shared/**', 'src/preload/**/*.d.ts'],
    ignores: ['src/main/shell/**', 'src/main/index.ts'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
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
