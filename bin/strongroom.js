#!/usr/bin/env node
// The package's executable: runs the compiled CLI (`npm run build` produces it).
import '../dist/src/cli/main.js';
