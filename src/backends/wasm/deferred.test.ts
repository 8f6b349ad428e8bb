import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import * as sn from '../../index.js';

/**
 * The asynchronous path of the wasm backend (the one a browser takes), run under Node by
 * giving a `wasmUrl`: the kernels are fetched from a loopback server; cpu runs until they are
 * ready, then wasm, and tensors made before the switch keep working with those made after.
 */

const wasmDir = new URL('../../../dist/wasm/', import.meta.url);

async function serveKernels(): Promise<{ url: string; requests: string[]; close(): void }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    requests.push(name);
    try {
      if (!/^[\w-]+\.wasm$/.test(name)) throw new Error('not a kernel file');
      res.setHeader('content-type', 'application/wasm');
      res.end(readFileSync(new URL(name, wasmDir)));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => server.close() };
}

test('with a wasmUrl, cpu runs until ready(), then wasm; earlier tensors stay usable', async () => {
  const before = sn.getBackend();
  const server = await serveKernels();
  try {
    sn.setBackend('wasm', { wasmUrl: server.url, relaxedSimd: false });
    assert.equal(sn.getBackend(), 'cpu', 'cpu while the kernels load');
    const a = sn.tensor([
      [1, 2],
      [3, 4],
    ]);
    await sn.ready();
    assert.equal(sn.getBackend(), 'wasm');
    assert.deepEqual(server.requests, ['sinew-simd.wasm'], 'relaxedSimd: false fetches plain SIMD');
    const b = sn.tensor([
      [0.5, -1],
      [2, 0],
    ]);
    // Hand-computed: a·b = [[4.5, -1], [9.5, -3]]; a + b mixes a cpu tensor and a wasm one.
    assert.deepEqual(sn.matmul(a, b).arraySync(), [
      [4.5, -1],
      [9.5, -3],
    ]);
    assert.deepEqual(sn.add(a, b).arraySync(), [
      [1.5, 1],
      [5, 4],
    ]);
    assert.deepEqual(a.arraySync(), [
      [1, 2],
      [3, 4],
    ]);
  } finally {
    server.close();
    sn.setBackend(before);
  }
});

test('kernels that cannot be fetched leave the cpu backend running, with one warning', async () => {
  const before = sn.getBackend();
  const server = await serveKernels();
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    sn.setBackend('wasm', { wasmUrl: `${server.url}nowhere/` });
    await sn.ready();
    assert.equal(sn.getBackend(), 'cpu');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /wasm backend unavailable .*nowhere\/sinew-simd\.wasm.*404/);
    assert.deepEqual(sn.add(sn.tensor([1, 2]), sn.tensor([3, 4])).arraySync(), [4, 6]);
  } finally {
    console.warn = warn;
    server.close();
    sn.setBackend(before);
  }
});

test('a wasmUrl that is not a URL is a ConfigError naming the option', () => {
  assert.throws(
    () => sn.setBackend('wasm', { wasmUrl: 42 as unknown as string }),
    (e: unknown) =>
      e instanceof sn.ConfigError && /wasmUrl must be the URL .*received 42/.test(String(e)),
  );
  assert.throws(
    () => sn.setBackend('wasm', { wasmUrl: 'relative/dir/' }),
    (e: unknown) => e instanceof sn.ConfigError && /relative to the page/.test(String(e)),
  );
});
