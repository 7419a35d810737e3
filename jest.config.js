// Tests are written in TypeScript under test/ and compiled by `npm run build` (tsc) into dist/test;
// jest runs the compiled files, so the code under test is exactly what `npm start` runs.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  testTimeout: 120_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
