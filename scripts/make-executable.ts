/**
 * Marks the CLI entry point executable after each build. tsc writes files without the exec bit, and `npx zyda`
 * in a clone runs the package's own bin directly, through its shebang, which needs it.
 */
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

chmodSync(fileURLToPath(new URL('../cli/main.js', import.meta.url)), 0o755);
