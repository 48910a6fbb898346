/** Jest: SWC transform (fast on 2 cores), one config for unit and integration specs. */
const swcrc = require('./tools/swc-config');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: {
    '^@isp/domain$': '<rootDir>/libs/domain/src',
    '^@isp/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@isp/routeros$': '<rootDir>/libs/routeros/src',
    '^@isp/routeros/(.*)$': '<rootDir>/libs/routeros/src/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  maxWorkers: 2,
};
