// Import boundaries from design.md are enforced here, not remembered.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noVscode = { name: 'vscode', message: 'Only extension/ may import vscode.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['backend/**/*.ts'],
    ignores: ['backend/contract/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [
          { group: ['**/extension/**', '**/webviews/**'], message: 'backend/ never imports extension/ or webviews/.' },
        ],
      }],
    },
  },
  {
    files: ['backend/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!zod$|\\./|\\.\\./contract/).*', message: 'backend/contract imports only zod (and its own files).' },
          { group: ['../*', '!../contract/*'], message: 'backend/contract imports only zod (and its own files).' },
        ],
      }],
    },
  },
  {
    files: ['extension/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^\\.\\./(\\.\\./)*backend/(?!contract)', message: 'extension/ may import only backend/contract from the backend.' },
          {
            regex: '^\\.\\./(\\.\\./)*webviews/(?!protocol/|shared/units)',
            message: 'extension/ may import only webviews/protocol/* (one file per webview) and webviews/shared/units from the webviews.',
          },
        ],
      }],
    },
  },
  {
    files: ['webviews/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [
          { group: ['**/extension/**', '**/backend/**'], message: 'webviews/ never import extension/ or backend/.' },
        ],
      }],
    },
  },
  {
    // One protocol file per webview (chat.ts, desktop.ts, project.ts, …) and common.ts: zod and each other only,
    // because both the extension host and the webview bundles import them.
    files: ['webviews/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!zod/mini$|\\./)', message: 'webviews/protocol/ imports only zod/mini and its own files.' }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
