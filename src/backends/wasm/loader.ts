/**
 * Finds and compiles the kernels built by scripts/build-wasm.mjs: the relaxed-SIMD variant
 * where the engine accepts it (Node 20 needs a V8 flag, set here before compiling), plain
 * SIMD otherwise. Returns undefined, with the reason, when neither can be used, so the caller
 * can fall back to the cpu backend. Synchronous (Node reads the file from disk); a browser
 * loader would fetch and compile asynchronously instead.
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
  if (!node) return 'the wasm kernels load only under Node.js >= 20.16 so far';
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
        return { module: new WebAssembly.Module(relaxed), variant: 'relaxed-simd', shared };
      }
    }
  }
  const plain = readModule(`sinew-simd${suffix}.wasm`);
  if (!plain) return 'dist/wasm/ has no kernels: run `npm run build:wasm`';
  if (!WebAssembly.validate(plain)) return 'this engine does not support WebAssembly SIMD';
  return { module: new WebAssembly.Module(plain), variant: 'simd', shared };
}
