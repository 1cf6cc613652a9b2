#!/usr/bin/env node
// Starts the server from the built dist/ (run `pnpm --filter remote-server build` first,
// or use `pnpm --filter remote-server start`, which builds and then runs this).
import '../dist/start.js';
