#!/usr/bin/env node
import { ZYDA_VERSION } from '../core/version.js';

// `zyda --version` answers before the commands load: their modules are most of zyda's start-up time.
if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-V')) process.stdout.write(`${ZYDA_VERSION}\n`);
else await import('./program.js');
