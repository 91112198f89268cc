#!/usr/bin/env node
'use strict';
// tsx compiles the TypeScript sources on the fly, so there is no build step to forget.
require('tsx/cjs');
require('../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; })
  .catch((error) => {
    process.stderr.write(`tsumiki: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
