import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNEL_EXPORT_NAMES } from './codes.js';
import { checked } from './loader.js';

test('kernels built before the code changed are refused with the command that rebuilds them', () => {
  // The smallest valid module: no exports at all, as a dist/wasm/ from another version might lack some.
  const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  const reason = checked({ module: empty, variant: 'simd', shared: false });
  assert.equal(typeof reason, 'string');
  assert.match(reason as string, /older than this code/);
  assert.match(reason as string, /lack sgemm, sgemmScratchBytes, binaryRow, and \d+ more/);
  assert.match(reason as string, /npm run build:wasm/);
});

test('each built kernel file exports every function the backend calls', () => {
  // Read from dist/wasm/ directly, not through loadKernels (which applies the same check).
  const dir = fileURLToPath(new URL('../../../dist/wasm/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
  assert.deepEqual(files.sort(), [
    'sinew-relaxed-shared.wasm',
    'sinew-relaxed.wasm',
    'sinew-simd-shared.wasm',
    'sinew-simd.wasm',
  ]);
  for (const file of files) {
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(readFileSync(join(dir, file)));
    } catch (e) {
      // A relaxed-SIMD build does not compile on an engine without relaxed SIMD (Node 20).
      if (file.includes('relaxed') && /relaxed-simd/.test(String(e))) continue;
      throw e;
    }
    const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
    const missing = KERNEL_EXPORT_NAMES.filter((name) => !names.has(name));
    assert.deepEqual(missing, [], `${file} lacks exports`);
  }
});
