import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as sn from '../src/index.js';

/** Serves `dir` on the loopback address (127.0.0.1 only) and records every path requested. */
async function serve(
  dir: string,
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    try {
      res.end(readFileSync(join(dir, path)));
    } catch {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('io.load reads a model from an http URL (model.json, then its weights beside it)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sinew-url-'));
  const server = await serve(dir);
  try {
    const model = sn.sequential({
      layers: [
        sn.layers.dense({
          units: 4,
          inputShape: [3],
          activation: 'tanh',
          kernelRegularizer: sn.regularizers.l2(0.01),
        }),
        sn.layers.dense({ units: 2 }),
      ],
    });
    await sn.io.save(model, dir);
    const loaded = await sn.io.load(`${server.url}/model.json`);
    const x = sn.randomNormal([5, 3], { seed: 1 });
    const a = (model.predict(x) as sn.Tensor).dataSync();
    const b = (loaded.predict(x) as sn.Tensor).dataSync();
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-6, `prediction ${i}: ${v} vs ${b[i]}`));
    assert.deepEqual(server.requests.sort(), ['/model.json', '/weights.bin']);
    // A missing file on the server is a SerializationError naming the URL.
    await assert.rejects(
      sn.io.load(`${server.url}/nope/model.json`),
      (e: unknown) =>
        e instanceof sn.SerializationError && /nope\/model\.json/.test((e as Error).message),
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("io.save to 'downloads://' outside a browser says it needs a browser", async () => {
  const model = sn.sequential({ layers: [sn.layers.dense({ units: 1, inputShape: [1] })] });
  await assert.rejects(
    sn.io.save(model, 'downloads://m'),
    (e: unknown) => e instanceof sn.SerializationError && /browser/.test((e as Error).message),
  );
});
