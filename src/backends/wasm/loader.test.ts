import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KERNEL_EXPORT_NAMES } from './codes.js';
import { checked, loadKernels } from './loader.js';

test('kernels built before the code changed are refused with the command that rebuilds them', () => {
  // The smallest valid module: no exports at all, as a dist/wasm/ from another version might lack some.
  const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  const reason = checked({ module: empty, variant: 'simd', shared: false });
  assert.equal(typeof reason, 'string');
  assert.match(reason as string, /older than this code/);
  assert.match(reason as string, /lack sgemm, sgemmScratchBytes, binaryRow, and \d+ more/);
  assert.match(reason as string, /npm run build:wasm/);
});

test('the built kernels export every function the backend calls', () => {
  const kernels = loadKernels();
  assert.notEqual(typeof kernels, 'string', String(kernels));
  const names = WebAssembly.Module.exports((kernels as { module: WebAssembly.Module }).module).map(
    (e) => e.name,
  );
  for (const name of KERNEL_EXPORT_NAMES) assert.ok(names.includes(name), name);
});
