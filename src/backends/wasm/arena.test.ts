import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SinewError } from '../../errors.js';
import { Arena } from './arena.js';

test('blocks are 64-byte aligned, disjoint, and a freed block is reused for the same size', () => {
  const arena = new Arena({ initialMiB: 1, maxMiB: 4 });
  const a = arena.allocate(10);
  const b = arena.allocate(100);
  assert.equal(a % 64, 0);
  assert.equal(b % 64, 0);
  assert.ok(b >= a + 64, 'the second block starts after the first one (10 bytes round up to 64)');
  assert.equal(arena.bytesInUse, 64 + 128);
  arena.free(a, 10);
  assert.equal(arena.bytesInUse, 128);
  assert.equal(arena.allocate(60), a, 'same rounded size: the freed block comes back');
  assert.equal(arena.allocate(0), 0, 'empty requests take no memory');
});

test('the memory grows on demand up to the maximum', () => {
  const arena = new Arena({ initialMiB: 1, maxMiB: 8 });
  const before = arena.bytesReserved;
  arena.allocate(3 * 1048576);
  assert.ok(arena.bytesReserved > before);
  assert.ok(arena.bytesReserved <= 8 * 1048576);
});

test('a request beyond the maximum is a SinewError that says how much and what to do', () => {
  const arena = new Arena({ initialMiB: 1, maxMiB: 2 });
  assert.throws(
    () => arena.allocate(3 * 1048576),
    (e: unknown) =>
      e instanceof SinewError && /needs 3\.0 MiB/.test(e.message) && /maxMemoryMiB/.test(e.message),
  );
});

test('at the maximum, adjacent free blocks are merged to serve a larger request', () => {
  const arena = new Arena({ initialMiB: 1, maxMiB: 2 });
  const quarter = 400 * 1024;
  const blocks = [0, 1, 2, 3].map(() => arena.allocate(quarter));
  // The arena is nearly full: 1.6 MB of 2 MiB used (the first 64 KiB are reserved).
  assert.throws(() => arena.allocate(3 * quarter), SinewError);
  for (const b of blocks.slice(0, 3)) arena.free(b, quarter);
  const big = arena.allocate(3 * quarter);
  assert.equal(big, blocks[0], 'the three freed neighbours became one block');
});
