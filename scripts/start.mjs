#!/usr/bin/env node
// `npm start` and `npm run strongroom`: brings the bundle up to date (only what changed is built, usually nothing:
// scripts/bundle.mjs), then runs the CLI in this same process, so that a start pays for one Node process, not two.
// No type check here: that is `npm run typecheck` (and part of `npm test`).
// Usage: node scripts/start.mjs <strongroom arguments>, e.g. `node scripts/start.mjs serve --ephemeral`.
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';
import { buildConsole } from './build-console.mjs';

await bundle({ types: false });
await buildConsole(); // the web console at /console/ (web/), when its sources changed
const cli = fileURLToPath(new URL('../dist/strongroom.js', import.meta.url));
// As if run as `node dist/strongroom.js ...`: cluster workers run process.argv[1], which must be the CLI itself.
process.argv[1] = cli;
await import(cli);
