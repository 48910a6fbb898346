import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      // process.env has one reader per app: its config module (and the tools that start things).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through the app config module.' }],
    },
  },
  {
    files: ['**/config/*.ts', 'tools/**', 'test/**', 'bench/**', '**/*.spec.ts', '**/*.e2e-spec.ts', 'jest.config.js', '**/cli/*.ts', 'libs/routeros-testing/src/cli*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The simulator is test tooling: production code of the RouterOS library never reaches it
    // (its own specs may, as the apps' tests do).
    files: ['libs/routeros/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@isp/routeros-testing', '@isp/routeros-testing/*', '**/routeros-testing/**'], message: 'The simulator (libs/routeros-testing) is for tests, demos and benches only.' }] }] },
  },
);
