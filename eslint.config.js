// Lint, including the walls between the four rooms (STYLE.md practice 1):
//   shared/            imports no node:, no DOM-only module, no electron, nothing outside shared/
//   electron/services/ (the engine) never imports electron, the renderer or electron/main
//   renderer/src/      imports only shared/ and itself (never node:, electron or the engine)
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'http', 'child_process', 'events', 'crypto'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'bench/.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodeBuiltins, 'electron', '../electron/*', '../renderer/*', 'react', 'react-dom'] }],
    },
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['electron', '**/electron/main/**', '**/renderer/**', 'react', 'react-dom'] }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodeBuiltins, 'electron', '**/electron/**'] }],
    },
  },
);
