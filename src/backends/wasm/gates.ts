import type { KernelExports } from './codes.js';
import { cut, type WorkerPool } from './pool.js';

/**
 * The fused recurrent gate kernels (assembly/lstm.ts, gru.ts) split over the worker threads by
 * batch rows. Every row is computed by the same instructions on any thread, so the threaded
 * result is bit-for-bit the single-threaded one. A step goes parallel from MIN_GATE_CELLS
 * cells (batch·units): the LSTM forward costs ~6–13 ns a cell on one thread (measured under
 * load, 128×128 to 256×256), so 32768 cells are ~0.2 ms, below which waking a worker costs
 * about what it saves. The gradients and the GRU (cheaper per cell) use the same bar, so they
 * split a little later in time than the LSTM forward.
 */
export const MIN_GATE_CELLS = 32_768;

export type GateKind = 'lstmGates' | 'lstmGatesGrad' | 'gruGates' | 'gruGatesGrad';

/**
 * Runs gate kernel `kind` over `batch` rows of `units` units. `buffers` are the kernel's
 * pointer arguments in order, each with its row length in floats (4·units for an LSTM's
 * gates, 3·units for a GRU's, units for a state); a share of rows [from, to) gets each
 * pointer moved to its row `from`, then (to − from, units).
 */
export function gateRows(
  k: KernelExports,
  pool: () => WorkerPool | undefined,
  kind: GateKind,
  shape: { batch: number; units: number },
  buffers: readonly (readonly [offset: number, rowFloats: number])[],
): void {
  const { batch, units } = shape;
  const args = (from: number, to: number): number[] => [
    ...buffers.map(([offset, rowFloats]) => offset + 4 * from * rowFloats),
    to - from,
    units,
  ];
  const workers = batch > 1 && batch * units >= MIN_GATE_CELLS ? pool() : undefined;
  if (!workers) {
    (k[kind] as (...a: number[]) => void)(...args(0, batch));
    return;
  }
  const shares = cut(batch, workers.threads(), 1).map(([from, to]) => args(from, to));
  workers.split(k, kind, shares, true);
}
