#!/usr/bin/env node
// The package's executable: runs the bundled CLI (`npm run build` produces it).
import '../dist/strongroom.js';
