#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ by `npm run build` (see scripts/bundle.mjs).
import '../dist/bundle/main.js';
