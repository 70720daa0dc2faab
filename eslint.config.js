// Lint: the TypeScript and React hooks rules, and the process boundaries as import rules.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const RAW_DATABASE = {
  group: ['pg', '@electric-sql/pglite', '@electric-sql/pglite/*', '**/db/postgres', '**/db/pglite*', '**/db/open'],
  message: 'Domain code reads and writes through the request transaction (ctx.tx), never a database it opens.',
};
const IN_THE_PAGE = [
  { group: ['node:*', 'pg', '@electric-sql/*'], message: 'The renderer runs in a web page: no Node or database modules.' },
  {
    group: ['**/electron/**'],
    allowTypeImports: true,
    message: 'The renderer reaches the backend through tRPC only; it may import the router’s types.',
  },
];
const ELECTRON = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };

/** The import rule for a part of the tree: electron is everywhere forbidden, plus these patterns. */
const forbidImports = (...patterns) => ({ 'no-restricted-imports': ['error', { paths: [ELECTRON], patterns }] });

export default tseslint.config(
  { ignores: ['out/', 'node_modules/', 'test-results/', 'playwright-report/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The classic hook rules; the React Compiler's rules are for code the compiler builds, and we do not use it.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      ...forbidImports(...IN_THE_PAGE),
    },
  },
  {
    // A feature is used by areas; it never reaches up into one, nor into the session screens.
    files: ['renderer/src/features/**/*.{ts,tsx}'],
    rules: forbidImports(...IN_THE_PAGE, {
      group: ['**/areas/**', '**/session/**'],
      message: 'Features are composed by areas, not the other way round.',
    }),
  },
  {
    // An area owns its layout; what two areas share is a feature.
    files: ['renderer/src/areas/**/*.{ts,tsx}'],
    rules: forbidImports(...IN_THE_PAGE, {
      regex: '^\\.\\./(?!\\.\\./)',
      message: 'No area imports another area: move what they share into features/.',
    }),
  },
  {
    files: ['electron/server/**/*.ts', 'shared/**/*.ts'],
    rules: forbidImports(),
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: forbidImports({
      group: ['**/electron/**', '**/renderer/**', 'node:*'],
      message: 'shared/ is used by both processes: it imports neither.',
    }),
  },
  {
    files: ['electron/server/*/**/*.ts'],
    ignores: ['electron/server/db/**', 'electron/server/access/**', '**/*.test.ts'],
    rules: forbidImports(RAW_DATABASE),
  },
);
