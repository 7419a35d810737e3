// Lint rules that protect the design: workflows stay deterministic (no Node built-ins, no I/O
// modules), domain/ stays pure, and no promise is left floating anywhere.
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ioModules = ['pg', 'nodemailer', 'express', 'pino', 'smtp-server', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.data/**', 'test/support/summaryReporter.js', 'eslint.config.js', 'jest.config.js'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioModules].map((name) => ({ name, message: 'workflows and domain rules must stay deterministic: no Node built-ins, no I/O' })),
          patterns: [
            { group: ['**/db/**', '**/api/**', '**/worker/**', '**/scripts/**', '**/security/**'], message: 'workflows and domain rules must not import I/O code' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'fetch', 'require'],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioModules, '@temporalio/workflow'].map((name) => ({ name, message: 'domain/ is pure: no I/O, no Temporal' })),
          patterns: [{ group: ['**/db/**', '**/api/**', '**/worker/**', '**/scripts/**', '**/security/**', '**/workflows/**', '**/activities/**'], message: 'domain/ is pure' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'domain/ takes the moment as a parameter' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ takes the moment as a parameter' },
      ],
    },
  },
);
