// Runs every *.test.ts under src/ and test/ with node's built-in test runner (TypeScript
// through tsx). Node 20's runner does not discover .ts files by itself, hence this list.
//
// The whole suite runs once per backend (SINEW_BACKEND=wasm, the default, then cpu), so every
// op, layer and model test checks both; SINEW_BACKENDS=cpu (a comma list) picks others.
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
let failed = false;
for (const backend of backends) {
  console.log(`\n# backend: ${backend}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], {
    stdio: 'inherit',
    env: { ...process.env, SINEW_BACKEND: backend },
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
