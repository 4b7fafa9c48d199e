#!/usr/bin/env node
// `edgelake-node [--home DIR] [--script FILE] [--console PORT | --no-console]`: a headless EdgeLake node.
// The engine is built into dist/ by `npm install` (prepare) or `npm run build`.
require('../dist/node/cli.cjs');
