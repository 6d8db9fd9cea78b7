#!/usr/bin/env node
// `yarn demo`: one testenv cluster per scenario and the portal on top of them.
// The implementation lives in tools/testenv (src/demo.ts).
const path = require('node:path');

require('@backstage/cli-node/config/nodeTransform.cjs');
require(path.resolve(__dirname, '../tools/testenv/src/cli.ts')).main([
  ...process.argv.slice(0, 2),
  'demo',
  ...process.argv.slice(2),
]);
