// Tests are written in TypeScript under test/ and compiled by `npm run build` (tsc) into dist/test;
// jest runs the compiled files, so the code under test is exactly what `npm start` runs.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  testTimeout: 120_000,
  maxWorkers: 1,
  // One PostgreSQL server for the run: TEST_DATABASE_URL, the default address, or one started here.
  globalSetup: '<rootDir>/dist/test/support/globalSetup.js',
  globalTeardown: '<rootDir>/dist/test/support/globalTeardown.js',
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
