// Compiles the AssemblyScript kernels in assembly/ into dist/wasm/ with the `asc` compiler
// (a devDependency), in variants the wasm backend chooses between at run time:
//   sinew-relaxed.wasm         SIMD + relaxed SIMD (fused multiply-add)
//   sinew-simd.wasm            plain SIMD
//   sinew-relaxed-shared.wasm  the same two, importing a shared memory (up to 4 GiB), for
//   sinew-simd-shared.wasm     the worker pool: every thread instantiates the one module
// All import their memory (env.memory), so the backend owns it. No .wasm is committed:
// dist/ is ignored by git and shipped in the npm package. Usage: node scripts/build-wasm.mjs
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'wasm');
mkdirSync(outDir, { recursive: true });

const SHARED = ['--sharedMemory', '--maximumMemory', '65536', '--enable', 'threads'];
const variants = [
  { name: 'sinew-relaxed', features: ['simd', 'relaxed-simd'], extra: [] },
  { name: 'sinew-simd', features: ['simd'], extra: [] },
  { name: 'sinew-relaxed-shared', features: ['simd', 'relaxed-simd'], extra: SHARED },
  { name: 'sinew-simd-shared', features: ['simd'], extra: SHARED },
];

for (const { name, features, extra } of variants) {
  const target = join(outDir, `${name}.wasm`);
  const tmp = `${target}.${process.pid}.tmp`;
  const args = [
    join(root, 'assembly', 'index.ts'),
    '--outFile',
    tmp,
    '-O3',
    '--noAssert',
    '--runtime',
    'stub',
    '--importMemory',
    ...features.flatMap((f) => ['--enable', f]),
    ...extra,
  ];
  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: compiling ${name} failed: ${error.message}`);
    process.exit(1);
  }
  renameSync(tmp, target); // atomic: a reader never sees half a module
  console.log(`build-wasm: ${target}`);
}
