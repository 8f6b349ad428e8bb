// Runs every *.test.ts under src/ and test/ with node's built-in test runner (TypeScript
// through tsx). Node 20's runner does not discover .ts files by itself, hence this list.
//
// The whole suite runs once per backend (SINEW_BACKEND=wasm, the default, then cpu), so every
// op, layer and model test checks both; SINEW_BACKENDS=cpu (a comma list) picks others. The
// PyTorch and browser suites (ONCE below) run in the last pass only.
// Usage: node scripts/run-tests.mjs [path-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = ['src', 'test']
  .flatMap(find)
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(' ')}`);
  process.exit(1);
}
const backends = (process.env.SINEW_BACKENDS ?? 'wasm,cpu').split(',').filter(Boolean);

// Suites whose subject is not the Node backend run once, in the last backend pass: the
// PyTorch export tests (Python does the work; sinew only exports and compares) and the
// browser tests (the page picks its own backend), and the docs test (it reruns the guide's
// programs, a minute of training, to check the numbers the prose quotes). Twice would add
// minutes and check nothing new.
const ONCE = [
  /^test\/torch-/,
  /^test\/playground/,
  /^test\/browser/,
  /^test\/report-browser/,
  /^test\/chromium/,
  /^test\/docs\.test/,
  /^test\/architecture\.test/, // these two read files only: the backend does not matter
  /^test\/import-cycles\.test/,
];
const once = (f) => ONCE.some((re) => re.test(f.split('\\').join('/')));

let failed = false;
for (const [i, backend] of backends.entries()) {
  console.log(`\n# backend: ${backend}`);
  const last = i === backends.length - 1;
  const run = files.filter((f) => last || !once(f));
  if (run.length === 0) continue;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...run], {
    stdio: 'inherit',
    env: { ...process.env, SINEW_BACKEND: backend },
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
