import { ConfigError, describe } from '../../errors.js';
import { KERNEL_EXPORT_NAMES } from './codes.js';

/**
 * Finds and compiles the kernels built by scripts/build-wasm.mjs: the relaxed-SIMD variant
 * where the engine accepts it (Node 20 needs a V8 flag, set here before compiling), plain
 * SIMD otherwise. Returns, instead, the reason when neither can be used, so the caller can
 * fall back to the cpu backend.
 *
 * Two paths: under Node, loadKernels() reads the file from disk synchronously; in a browser
 * (or wherever a `wasmUrl` is given), fetchKernels() fetches and compiles asynchronously.
 */

export interface WasmKernels {
  readonly module: WebAssembly.Module;
  readonly variant: 'relaxed-simd' | 'simd';
  /** The module imports a shared memory (the build for the worker pool). */
  readonly shared: boolean;
}

interface NodeApis {
  readFileSync(url: URL): Uint8Array<ArrayBuffer>;
  existsSync(url: URL): boolean;
  setFlagsFromString(flags: string): void;
}

// Taken through process.getBuiltinModule (Node >= 20.16), synchronously and without a static
// import, so that a browser bundle never touches node: modules.
function nodeApis(): NodeApis | undefined {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') {
    return undefined;
  }
  const fs = process.getBuiltinModule('node:fs');
  const v8 = process.getBuiltinModule('node:v8');
  return {
    readFileSync: (url: URL) => new Uint8Array(fs.readFileSync(url)),
    existsSync: (url: URL) => fs.existsSync(url),
    setFlagsFromString: (flags: string) => v8.setFlagsFromString(flags),
  };
}

const node = nodeApis();

/** Where the build puts the modules, seen from src/backends/wasm/ and from dist/backends/wasm/. */
function candidates(file: string): URL[] {
  return [
    new URL(`../../wasm/${file}`, import.meta.url),
    new URL(`../../../dist/wasm/${file}`, import.meta.url),
  ];
}

function readModule(file: string): Uint8Array<ArrayBuffer> | undefined {
  if (!node) return undefined;
  const url = candidates(file).find((u) => node.existsSync(u));
  return url ? node.readFileSync(url) : undefined;
}

let relaxedFlagSet = false;

/**
 * The kernels, or a one-line reason why there are none. `shared` asks for the build that
 * imports a shared memory (for threads); it is given only where SharedArrayBuffer exists.
 */
export function loadKernels(preferRelaxed = true, shared = false): WasmKernels | string {
  if (typeof WebAssembly === 'undefined') return 'this JavaScript engine has no WebAssembly';
  if (!node)
    return 'loadKernels() reads files under Node.js >= 20.16; elsewhere use fetchKernels()';
  if (shared && typeof SharedArrayBuffer === 'undefined') {
    return 'this engine has no SharedArrayBuffer (threads need it)';
  }
  const suffix = shared ? '-shared' : '';
  if (preferRelaxed) {
    const relaxed = readModule(`sinew-relaxed${suffix}.wasm`);
    if (relaxed) {
      if (!relaxedFlagSet && !WebAssembly.validate(relaxed)) {
        node.setFlagsFromString('--experimental-wasm-relaxed-simd');
        relaxedFlagSet = true;
      }
      if (WebAssembly.validate(relaxed)) {
        return checked({
          module: new WebAssembly.Module(relaxed),
          variant: 'relaxed-simd',
          shared,
        });
      }
    }
  }
  const plain = readModule(`sinew-simd${suffix}.wasm`);
  if (!plain) return 'dist/wasm/ has no kernels: run `npm run build:wasm`';
  if (!WebAssembly.validate(plain)) return 'this engine does not support WebAssembly SIMD';
  return checked({ module: new WebAssembly.Module(plain), variant: 'simd', shared });
}

/**
 * The kernels, or the reason they cannot serve this code: a module built from an older
 * assembly/ lacks exports the backend calls (a checkout updated without `npm run build:wasm`).
 */
export function checked(kernels: WasmKernels): WasmKernels | string {
  const names = new Set(WebAssembly.Module.exports(kernels.module).map((e) => e.name));
  const missing = KERNEL_EXPORT_NAMES.filter((n) => !names.has(n));
  if (missing.length === 0) return kernels;
  return (
    `the wasm kernels are older than this code (they lack ${missing.slice(0, 3).join(', ')}` +
    `${missing.length > 3 ? `, and ${missing.length - 3} more` : ''}): run \`npm run build:wasm\``
  );
}

/**
 * Set by scripts/bundle-browser.mjs to where the bundle finds the kernels, relative to itself
 * ('./wasm/'); undefined in the unbundled dist/, where they sit in dist/wasm/.
 */
declare const __SINEW_WASM_DIR__: string | undefined;

/**
 * The folder to fetch the kernels from: `wasmUrl` (the option of setBackend; relative to the
 * page), else beside the bundle or dist/wasm/. Always ends in '/'.
 */
export function wasmBaseUrl(wasmUrl?: unknown): URL {
  let url: URL;
  if (wasmUrl === undefined) {
    const dir = typeof __SINEW_WASM_DIR__ === 'string' ? __SINEW_WASM_DIR__ : '../../wasm/';
    url = new URL(dir, import.meta.url);
  } else {
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    try {
      if (typeof wasmUrl !== 'string' && !(wasmUrl instanceof URL)) throw new TypeError();
      url = new URL(wasmUrl, page);
    } catch {
      throw new ConfigError(
        `WasmBackend: wasmUrl must be the URL of the folder holding sinew-simd.wasm and ` +
          `sinew-relaxed.wasm (dist/wasm/ or dist/browser/wasm/), absolute or relative to the ` +
          `page, received ${describe(wasmUrl)}.`,
      );
    }
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The bytes at `url`, or the reason they could not be fetched. */
async function fetchBytes(url: URL): Promise<Uint8Array<ArrayBuffer> | string> {
  try {
    const response = await fetch(url);
    if (!response.ok) return `${url.href} answered ${response.status} ${response.statusText}`;
    return new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    return `cannot fetch ${url.href} (${(e as Error).message})`;
  }
}

/**
 * The kernels fetched from the folder `baseUrl` (a URL ending in '/', holding the files of
 * dist/wasm/) and compiled asynchronously, as a browser requires for modules of more than 4 KiB
 * on its main thread; or the reason why there are none. The relaxed-SIMD build is used only
 * where WebAssembly.validate accepts it (no flags are set here); otherwise the plain SIMD
 * build is fetched. `shared` asks for the build that imports a shared memory (for threads:
 * in a browser, only a cross-origin isolated page has SharedArrayBuffer).
 */
export async function fetchKernels(
  baseUrl: URL,
  preferRelaxed = true,
  shared = false,
): Promise<WasmKernels | string> {
  if (typeof WebAssembly === 'undefined') return 'this JavaScript engine has no WebAssembly';
  if (typeof fetch !== 'function') return 'this JavaScript engine has no fetch()';
  if (shared && typeof SharedArrayBuffer === 'undefined') {
    return 'this engine has no SharedArrayBuffer (threads need it)';
  }
  const suffix = shared ? '-shared' : '';
  if (preferRelaxed) {
    const relaxed = await fetchBytes(new URL(`sinew-relaxed${suffix}.wasm`, baseUrl));
    if (typeof relaxed !== 'string' && WebAssembly.validate(relaxed)) {
      return checked({
        module: await WebAssembly.compile(relaxed),
        variant: 'relaxed-simd',
        shared,
      });
    }
  }
  const plain = await fetchBytes(new URL(`sinew-simd${suffix}.wasm`, baseUrl));
  if (typeof plain === 'string') return plain;
  if (!WebAssembly.validate(plain)) return 'this engine does not support WebAssembly SIMD';
  return checked({ module: await WebAssembly.compile(plain), variant: 'simd', shared });
}

/** Whether loadKernels() can read the kernels synchronously (Node with getBuiltinModule). */
export function canLoadSync(): boolean {
  return node !== undefined;
}
