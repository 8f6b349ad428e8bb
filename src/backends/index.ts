import { ConfigError, describe } from '../errors.js';
import { setActiveStore } from '../tensor/store.js';
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/index.js';
import { createWasmBackend } from './wasm/index.js';

/** The registry of compute backends and the active one. Importing this registers cpu. */

const registry = new Map<string, () => Backend>([
  ['cpu', () => new CpuBackend()],
  ['wasm', () => createWasmBackend()],
]);
const instances = new Map<string, Backend>();
let active: Backend;

/** Makes `name` the backend that new tensors and kernels use. */
export function setBackend(name: string): void {
  const make = registry.get(name);
  if (!make) {
    throw new ConfigError(
      `setBackend(): unknown backend ${describe(name)}; available backends: ${[...registry.keys()].join(', ')}.`,
    );
  }
  let backend = instances.get(name);
  if (!backend) {
    backend = make();
    instances.set(name, backend);
  }
  active = backend;
  setActiveStore(backend);
}

/** The name of the active backend. */
export function getBackend(): string {
  return active.name;
}

/** The active backend object (internal: ops call its kernels). */
export function backend(): Backend {
  return active;
}

/** Resolves once the active backend is ready (the cpu backend always is). */
export async function ready(): Promise<void> {}

setBackend('cpu');
