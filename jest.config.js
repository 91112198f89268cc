/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Tests that need a live external service (*.int.test.ts) or a browser (*.browser.test.ts) run apart.
  testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$', '\\.browser\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/test/setup/no-network.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
