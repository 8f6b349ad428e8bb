import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { collector } from './collector.js';

// The collector runs in its own process here: what is checked is how that process ends.

/**
 * A child that reclaims synchronously once, then leaves registered objects unreachable and
 * runs a bare garbage collection (no cleanupSome) in an 'exit' handler, so a finalizer cleanup
 * task is still due while Node tears the environment down (where a test file with pending finalizers used to
 * end). With a registry made in the vm context this aborted every time ("illegal access").
 */
const child = `
import { writeSync } from 'node:fs';
import { collector } from ${JSON.stringify(new URL('./collector.ts', import.meta.url).href)};
let freed = 0;
const c = collector(() => { freed++; }, true);
setTimeout(() => {
  for (let i = 0; i < 1000; i++) c.registry.register({ i }, i);
  c.collect();
  writeSync(1, 'synchronous ' + c.synchronous + ' freed ' + freed + '\\n');
  for (let i = 0; i < 1000; i++) c.registry.register({ i }, i);
  process.on('exit', () => globalThis.gc());
}, 1);
`;

test('finalizers still due when the process exits do not abort it', () => {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--input-type=module', '--eval', child],
    { encoding: 'utf8' },
  );
  assert.equal(result.stderr, '', 'the child wrote to stderr');
  assert.equal(result.signal, null, `the child was killed by ${result.signal}`);
  assert.equal(result.status, 0);
  // On Node the collection reclaims right away; the count is the objects registered and
  // dropped before it (at least all but one: V8 may keep the last one alive in a register).
  const match = /^synchronous true freed (\d+)$/m.exec(result.stdout);
  assert.ok(match, `unexpected child output: ${result.stdout}`);
  assert.ok(Number(match[1]) >= 999 && Number(match[1]) <= 1000, match[0]);
});

test('without gc the registry is the ordinary one and collect() does nothing', () => {
  let freed = 0;
  const c = collector(() => freed++, false);
  assert.equal(c.synchronous, false);
  c.registry.register({}, 1);
  c.collect();
  assert.equal(freed, 0);
  assert.ok(c.registry instanceof FinalizationRegistry);
});
