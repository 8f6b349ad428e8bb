// The TF.js backend a bench child runs on (bench/peers/tfjs.ts, tfjs-conv.ts): the wasm
// backend's files are found in the installed package; returns what the report prints.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export async function selectBackend(
  which: string,
): Promise<Record<string, string | number | boolean>> {
  if (which === 'wasm') {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    setWasmPaths(join(dirname(pkg), 'dist') + '/');
  }
  if (!(await tf.setBackend(which))) throw new Error(`tfjs: backend ${which} did not start`);
  await tf.ready();
  const setup: Record<string, string | number | boolean> = { backend: tf.getBackend() };
  if (which === 'wasm') {
    setup['simd'] = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    setup['threads'] = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi' : 1;
  } else {
    setup['threads'] = 1;
  }
  setup['version'] = tf.version.tfjs;
  return setup;
}
