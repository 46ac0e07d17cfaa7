/**
 * Runs one tier of the tests from dist/ with Node's test runner: `unit` (pure functions, test/unit/), `e2e` (the
 * real CLI on real files: test/e2e/ and any test file directly in test/), `reliability` (test/reliability/), or
 * `all`. Arguments after the tier go to `node` (e.g. --test-name-pattern). A test runs only while its source is in
 * test/, so the compiled copy of a moved or deleted test left in dist/ does not.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TIERS: Record<string, string[]> = { unit: ['test/unit'], e2e: ['test/e2e', 'test'], reliability: ['test/reliability'] };

function compiledTests(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(ROOT, 'dist', folder, f.replace(/\.ts$/, '.js')));
}

const [tier = 'all', ...nodeArgs] = process.argv.slice(2);
const folders = tier === 'all' ? Object.values(TIERS).flat() : TIERS[tier];
if (folders === undefined) {
  console.error(`unknown test tier ${JSON.stringify(tier)}: use unit, e2e, reliability or all`);
  process.exit(2);
}
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...nodeArgs, ...folders.flatMap(compiledTests)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
