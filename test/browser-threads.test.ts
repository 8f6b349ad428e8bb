/**
 * Worker threads of the wasm backend in a browser: the bundle (dist/browser/sinew.js) served
 * from a loopback server, opened in headless Chromium. With the COOP/COEP headers the page is
 * cross-origin isolated: after `await sn.ready()` the backend runs a pool of Web Workers, a
 * large product is split between the page's thread and a worker (the worker's count of jobs
 * done grows) and gives the same bits as on one thread. Without the headers the page runs on
 * one thread, starts no worker, and gives the same bits again.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './fixtures/chromium.js';
import { lcg } from './helpers.js';

/** sn.backendInfo()'s threads and workers, flattened. */
interface ThreadStats {
  threads: number;
  running: number;
  jobs: number;
}

/** What the page below puts on window. */
declare global {
  interface Window {
    snReady: Promise<string>;
    /** The active backend's threads and worker counts, from sn.backendInfo(). */
    threadStats(): ThreadStats;
    /** lcg(m·k, 1) as an m×k matrix times lcg(k·n, 2) as k×n: C's values. */
    product(m: number, k: number, n: number): number[];
    /** setBackend('wasm', options), then ready(). */
    useWasm(options: { threads?: number }): Promise<string>;
  }
}

// Plain JavaScript run by the page; lcg is the same generator as below in Node.
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sinew threads</title>
<link rel="icon" href="data:,">
<script type="module">
import * as sn from '/dist/browser/sinew.js';
function lcg(size, seed) {
  const out = new Float32Array(size);
  let s = seed;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}
window.snReady = sn.ready().then(() => sn.getBackend());
window.threadStats = () => {
  const info = sn.backendInfo();
  return { threads: info.threads, running: info.workers?.running ?? 0, jobs: info.workers?.jobs ?? 0 };
};
window.product = (m, k, n) =>
  Array.from(sn.matmul(sn.tensor(lcg(m * k, 1), [m, k]), sn.tensor(lcg(k * n, 2), [k, n])).dataSync());
window.useWasm = async (options) => {
  sn.setBackend('wasm', options);
  await sn.ready();
  return sn.getBackend();
};
</script></head><body></body></html>`;

const [M, K, N] = [256, 512, 256]; // 67 MFLOP: above the pool's MIN_FLOPS

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
let server: Server;
let origin: string;
let browser: Browser;
const requests: string[] = [];
const consoleErrors: string[] = [];
const infos: string[] = [];
const workers: string[] = [];
/** C from each run, to compare bit for bit. */
const results = new Map<string, number[]>();

function serve(): Promise<void> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/page.html') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (url.searchParams.has('isolated')) {
        res.setHeader('cross-origin-opener-policy', 'same-origin');
        res.setHeader('cross-origin-embedder-policy', 'require-corp');
      }
      res.end(PAGE);
      return;
    }
    const file = normalize(join(dist, decodeURIComponent(url.pathname).slice('/dist/'.length)));
    if (!url.pathname.startsWith('/dist/') || !file.startsWith(dist) || !existsSync(file)) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8';
    res.setHeader('content-type', type);
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    });
  });
}

async function open(query: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('worker', (worker) => workers.push(worker.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
    if (message.type() === 'info') infos.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  await page.goto(`${origin}/page.html${query}`, { waitUntil: 'load' });
  return page;
}

/** Fetched kernel files, by name, since `from` requests. */
function kernelsFetched(from: number): string[] {
  return requests
    .slice(from)
    .filter((u) => u.endsWith('.wasm'))
    .map((u) => new URL(u).pathname.replace('/dist/browser/wasm/', ''));
}

before(async () => {
  const bundle = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-browser.mjs')], {
    encoding: 'utf8',
  });
  assert.equal(bundle.status, 0, `bundle-browser failed:\n${bundle.stdout}${bundle.stderr}`);
  await serve();
  browser = await launchChromium('the browser threads test');
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

test('a cross-origin isolated page runs large products on a Web Worker too', async () => {
  const page = await open('?isolated');
  try {
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => window.snReady), 'wasm');
    // The default: one thread per core (navigator.hardwareConcurrency, at most 64).
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const startup = await page.evaluate(() => window.threadStats());
    assert.equal(startup.threads, Math.min(64, cores));
    assert.equal(startup.running, startup.threads - 1, 'every worker runs after ready()');
    if (cores > 1) {
      assert.ok(workers.length >= 1, 'workers started at ready()');
      assert.ok(
        kernelsFetched(0).every((f) => f.endsWith('-shared.wasm')),
        'the shared build',
      );
    }

    // Two threads, asked for (whatever the core count).
    const at = requests.length;
    assert.equal(await page.evaluate(() => window.useWasm({ threads: 2 })), 'wasm');
    const fetched = kernelsFetched(at);
    assert.ok(fetched.length >= 1, 'the kernels are fetched again for the new instance');
    for (const f of fetched) assert.match(f, /^sinew-(relaxed|simd)-shared\.wasm$/);
    const before = await page.evaluate(() => window.threadStats());
    assert.deepEqual(before, { threads: 2, running: 1, jobs: 0 });
    const c2 = await page.evaluate(([m, k, n]) => window.product(m, k, n), [M, K, N] as const);
    const stats = await page.evaluate(() => window.threadStats());
    assert.ok(stats.jobs >= 1, `the worker ran a share of the product: ${JSON.stringify(stats)}`);
    assert.equal(stats.running, 1, 'and still runs');
    results.set('isolated, 2 threads', c2);

    // One thread on the same page (the same shared build): the same bits.
    assert.equal(await page.evaluate(() => window.useWasm({ threads: 1 })), 'wasm');
    assert.deepEqual(await page.evaluate(() => window.threadStats()), {
      threads: 1,
      running: 0,
      jobs: 0,
    });
    const c1 = await page.evaluate(([m, k, n]) => window.product(m, k, n), [M, K, N] as const);
    results.set('isolated, 1 thread', c1);
    assert.deepEqual(c2, c1, '2 threads and 1 thread agree bit for bit');
  } finally {
    await page.close();
  }
});

test('without the headers the page runs on one thread and starts no worker', async () => {
  const [workersBefore, at] = [workers.length, requests.length];
  const page = await open('');
  try {
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
    assert.equal(await page.evaluate(() => window.snReady), 'wasm');
    assert.equal((await page.evaluate(() => window.threadStats())).threads, 1);
    // Asking for threads is not an error: one info line says what the page needs.
    assert.equal(await page.evaluate(() => window.useWasm({ threads: 2 })), 'wasm');
    assert.deepEqual(await page.evaluate(() => window.threadStats()), {
      threads: 1,
      running: 0,
      jobs: 0,
    });
    assert.equal(infos.length, 1, infos.join('\n'));
    assert.match(infos[0]!, /one thread: threads need a cross-origin isolated page .*require-corp/);
    const c = await page.evaluate(([m, k, n]) => window.product(m, k, n), [M, K, N] as const);
    results.set('not isolated', c);
    assert.deepEqual(c, results.get('isolated, 1 thread'), 'the same bits as the threaded page');
    assert.equal(workers.length, workersBefore, 'no worker was started');
    const fetched = kernelsFetched(at);
    assert.ok(fetched.length >= 1 && fetched.every((f) => !f.includes('shared')), fetched.join());
  } finally {
    await page.close();
  }
});

test('the products are right: a double-precision reference, within float32 rounding', () => {
  const [a, b] = [lcg(M * K, 1), lcg(K * N, 2)];
  assert.ok(results.size > 0, 'the browser runs above gave results');
  for (const [what, c] of results) {
    assert.equal(c.length, M * N, what);
    for (const [i, j] of [
      [0, 0],
      [M - 1, N - 1],
      [100, 7],
      [17, 200],
    ] as const) {
      let s = 0;
      for (let p = 0; p < K; p++) s += a[i * K + p]! * b[p * N + j]!;
      const got = c[i * N + j]!;
      assert.ok(Math.abs(got - s) < 1e-4, `${what}: C[${i}][${j}] = ${got}, want ${s}`);
    }
  }
});

test('nothing was requested outside the loopback server, and the console has no errors', () => {
  const outside = requests.filter(
    (u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`),
  );
  assert.deepEqual(outside, []);
  assert.deepEqual(consoleErrors, []);
});
