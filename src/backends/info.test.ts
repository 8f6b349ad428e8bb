import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as sn from '../index.js';
import { loadKernels } from './wasm/loader.js';

const kernels = loadKernels();
const skip = typeof kernels === 'string' ? kernels : false;
after(() => sn.setBackend('cpu'));

test('backendInfo on cpu: one thread, no kernel build, no arena', () => {
  sn.setBackend('cpu');
  assert.deepEqual(sn.backendInfo(), { name: 'cpu', threads: 1 });
});

test(
  'backendInfo on wasm: kernel build, threads, the workers doing shares, the arena',
  { skip },
  async () => {
    sn.setBackend('wasm', { threads: 2 });
    await sn.ready();
    const start = sn.backendInfo();
    assert.equal(start.name, 'wasm');
    assert.ok(start.variant === 'relaxed-simd' || start.variant === 'simd', start.variant);
    assert.equal(start.threads, 2);
    assert.equal(start.workers?.running, 1);
    // A product above the pool's threshold (67 MFLOP) gives the worker one share.
    const a = sn.fill([256, 512], 0.5);
    const b = sn.fill([512, 256], 2);
    const c = sn.matmul(a, b);
    assert.equal(c.dataSync()[0], 512);
    const later = sn.backendInfo();
    assert.ok(later.workers!.jobs - start.workers!.jobs >= 1);
    // 1 MiB more of live tensors shows in the arena.
    const held = sn.fill([262144], 1);
    const grown = sn.backendInfo().memory!;
    assert.ok(grown.bytesInUse - later.memory!.bytesInUse >= 1048576, JSON.stringify(grown));
    assert.ok(grown.bytesReserved >= grown.bytesInUse);
    assert.equal(held.dataSync()[262143], 1); // held (and its block in use) until here

    sn.setBackend('wasm', { threads: 1 });
    const one = sn.backendInfo();
    assert.equal(one.threads, 1);
    assert.deepEqual(one.workers, { running: 0, jobs: 0 });
  },
);
