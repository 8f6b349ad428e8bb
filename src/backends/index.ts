import { ConfigError, describe } from '../errors.js';
import { setActiveStore } from '../tensor/store.js';
import type { Backend, BackendInfo } from './backend.js';
import { CpuBackend } from './cpu/index.js';
import { createWasmBackend, type WasmBackendOptions } from './wasm/index.js';
import { checkOptionKeys, optionKeys } from '../validation.js';

export type { BackendInfo } from './backend.js';

/**
 * The registry of compute backends and the active one.
 *
 * The backend active at startup is wasm (falling back to cpu, with one warning line, where its
 * kernels cannot load), unless the environment variable SINEW_BACKEND names another one
 * (`SINEW_BACKEND=cpu node app.js`, and `SINEW_BACKEND=cpu node scripts/run-tests.mjs` runs
 * the whole test suite on cpu). An unknown name there is a ConfigError at import, listing the
 * available backends.
 */

/** Options of setBackend: for 'wasm', its WasmBackendOptions (threads, maxMemoryMiB, ...). */
export type BackendOptions = WasmBackendOptions;
const BACKEND_OPTION_KEYS = optionKeys<BackendOptions>()({
  maxMemoryMiB: true,
  initialMemoryMiB: true,
  relaxedSimd: true,
  collectOnGrowth: true,
  threads: true,
  wasmUrl: true,
});

const registry = new Map<string, (options: BackendOptions) => Backend>([
  ['cpu', () => new CpuBackend()],
  ['wasm', (options) => createWasmBackend(options)],
]);
const instances = new Map<string, Backend>();
let active: Backend;

/**
 * Makes `name` the backend that new tensors and kernels use. Options (wasm: `threads`,
 * `maxMemoryMiB`, ...) make a new instance of the backend; without them the one made before
 * is reused. Tensors made on another backend or instance stay readable and are copied when
 * an op meets them; a Variable moves its values to the new backend at its first use there and
 * stays the same object, so training goes on (gradients and optimizer updates still reach it).
 */
export function setBackend(name: string, options?: BackendOptions): void {
  const make = registry.get(name);
  if (!make) {
    throw new ConfigError(
      `setBackend(): unknown backend ${describe(name)}; available backends: ${[...registry.keys()].join(', ')}.`,
    );
  }
  checkOptionKeys(options, 'setBackend()', BACKEND_OPTION_KEYS, '{ threads: 2 }');
  let backend = instances.get(name);
  if (!backend || options !== undefined) {
    const made = make(options ?? {});
    backend?.close?.(); // the old instance's worker threads; its tensors stay readable
    backend = made;
    instances.set(name, backend);
  }
  active = backend;
  setActiveStore(backend);
}

/** The name of the active backend. */
export function getBackend(): string {
  return active.name;
}

/** What the active backend is and does: its name, kernel build, threads, workers and memory. */
export function backendInfo(): BackendInfo {
  return active.info();
}

/** The active backend object (internal: ops call its kernels). */
export function backend(): Backend {
  return active;
}

/**
 * Resolves once the active backend is ready. Under Node the wasm kernels load synchronously
 * and only the worker threads start in the background; in a browser (or with a `wasmUrl`) the
 * kernels are fetched and compiled asynchronously, and cpu runs until this resolves.
 */
export async function ready(): Promise<void> {
  await active.ready?.();
}

/** The backend named by SINEW_BACKEND, or wasm. */
function startupBackend(): string {
  const env = typeof process === 'undefined' ? undefined : process.env?.['SINEW_BACKEND'];
  // wasm is the default; createWasmBackend falls back to cpu, with one warning line, where
  // the kernels cannot load (not built, or no WebAssembly SIMD).
  if (env === undefined || env === '') return 'wasm';
  if (!registry.has(env)) {
    throw new ConfigError(
      `The environment variable SINEW_BACKEND is ${describe(env)}; available backends: ` +
        `${[...registry.keys()].join(', ')}. Unset it for the default.`,
    );
  }
  return env;
}

setBackend(startupBackend());
