/** Jest: SWC transform (fast on 2 cores), one config for unit and integration specs. */
const swcrc = require('./tools/swc-config');

const ESM_PACKAGES = ['@nestjs', 'uid', 'load-esm', 'file-type', 'token-types', 'strtok3', '@tokenizer', 'uint8array-extras'];

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Nest 12 ships ES modules only; Node can require() them but Jest's CommonJS runtime cannot,
  // so those packages are compiled to CommonJS by SWC like our own sources.
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: {
    '^@isp/domain$': '<rootDir>/libs/domain/src',
    '^@isp/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@isp/data$': '<rootDir>/libs/data/src',
    '^@isp/data/(.*)$': '<rootDir>/libs/data/src/$1',
    '^@isp/platform$': '<rootDir>/libs/platform/src',
    '^@isp/platform/(.*)$': '<rootDir>/libs/platform/src/$1',
    '^@isp/routeros$': '<rootDir>/libs/routeros/src',
    '^@isp/routeros/(.*)$': '<rootDir>/libs/routeros/src/$1',
    '^@isp/routeros-testing$': '<rootDir>/libs/routeros-testing/src',
    '^@isp/routeros-testing/(.*)$': '<rootDir>/libs/routeros-testing/src/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  // One suite at a time: the e2e suites start Redis-backed apps as processes and simulated routers,
  // and two of the heavy ones side by side on a 2-core machine starve each other past their
  // timeouts (seen in full CI runs); alone each has room, and the whole run stays within minutes.
  maxWorkers: 1,
};
