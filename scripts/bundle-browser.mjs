// Bundles the library for the browser into dist/browser/sinew.js (one ES module) and copies
// the wasm kernels beside it into dist/browser/wasm/ (the single-threaded builds, and the
// shared-memory builds a cross-origin isolated page fetches for its worker threads), so that
// the folder can be served as is:
//
//   <script type="module">
//     import * as sn from './browser/sinew.js';
//     await sn.ready(); // the wasm kernels are fetched and compiled; until then cpu runs
//   </script>
//
// Node-only code is reached only through dynamic imports (node:fs for files, cli-progress
// for the progress bar) or process.getBuiltinModule (the report, MNIST, the worker pool):
// those specifiers stay external, so nothing of Node is bundled and a browser never loads
// them. Needs dist/wasm/ (npm run build:wasm). Usage: node scripts/bundle-browser.mjs
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = join(root, 'dist', 'wasm');
const outDir = join(root, 'dist', 'browser');
const target = join(outDir, 'sinew.js');

const kernels = existsSync(wasmDir) ? readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')) : [];
// What src/backends/wasm/loader.ts may fetch (fetchKernels): all four builds.
const needed = ['relaxed', 'simd'].flatMap((v) => [`sinew-${v}.wasm`, `sinew-${v}-shared.wasm`]);
const missing = needed.filter((f) => !kernels.includes(f));
if (missing.length > 0) {
  console.error(
    `bundle-browser: dist/wasm/ lacks ${missing.join(', ')}; run \`npm run build:wasm\` first.`,
  );
  process.exit(1);
}

mkdirSync(join(outDir, 'wasm'), { recursive: true });
const tmp = `${target}.${process.pid}.tmp`;
const result = await build({
  entryPoints: [join(root, 'src', 'index.ts')],
  outfile: tmp,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: false,
  legalComments: 'none',
  // Reached only by dynamic import() on Node paths; a browser never asks for them.
  external: ['node:*', 'cli-progress', 'pngjs'],
  // The loader looks for the kernels here, relative to the bundle (src/backends/wasm/loader.ts).
  define: { __SINEW_WASM_DIR__: JSON.stringify('./wasm/') },
  logLevel: 'warning',
  metafile: true,
});

// A static import of a Node module would make the whole bundle fail to load in a browser.
const staticNode = Object.values(result.metafile.outputs)
  .flatMap((o) => o.imports)
  .filter((i) => i.external && i.kind === 'import-statement');
if (staticNode.length > 0) {
  rmSync(tmp, { force: true });
  const names = [...new Set(staticNode.map((i) => i.path))].join(', ');
  console.error(
    `bundle-browser: the bundle imports ${names} statically; ` +
      'a browser cannot load it. Make those imports lazy (import() inside the function).',
  );
  process.exit(1);
}

renameSync(tmp, target); // atomic: a page never loads half a bundle
for (const file of kernels) {
  const to = join(outDir, 'wasm', file);
  copyFileSync(join(wasmDir, file), `${to}.tmp`);
  renameSync(`${to}.tmp`, to);
}
console.log(`bundle-browser: ${target} (+ ${kernels.length} wasm kernels in dist/browser/wasm/)`);
