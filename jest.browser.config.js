/** Browser tests (`npm run test:browser`): need Debian's chromium; CI installs it. */
const base = require('./jest.config.js');

module.exports = { ...base, testMatch: ['**/*.browser.test.ts'], testPathIgnorePatterns: ['/node_modules/'], maxWorkers: 1 };
