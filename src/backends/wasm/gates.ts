import type { DataId } from '../../tensor/store.js';
import type { TensorInfo } from '../backend.js';
import type { KernelHost } from './host.js';

/**
 * The fused recurrent gate kernels (assembly/lstm.ts, gru.ts) split over the worker threads by
 * batch rows, through the host's range split. Every row is computed by the same instructions
 * on any thread, so the threaded result is bit-for-bit the single-threaded one. A step goes
 * parallel from MIN_ELEMENTS (pool.ts) cells, batch·units: the LSTM forward costs ~6–13 ns a
 * cell on one thread (measured under load, 128×128 to 256×256), so 32768 cells are ~0.2 ms,
 * below which waking a worker costs about what it saves. The gradients and the GRU (cheaper
 * per cell) use the same bar, so they split a little later in time than the LSTM forward.
 *
 * `buffers` are the kernel's pointer arguments in order, each with its row length in floats
 * (4·units for an LSTM's gates, 3·units for a GRU's, units for a state); a share of rows
 * [from, to) gets each pointer moved to its row `from`, then (to − from, units).
 */
function gateRows(
  host: KernelHost,
  kind: 'lstmGates' | 'lstmGatesGrad' | 'gruGates' | 'gruGatesGrad',
  shape: { batch: number; units: number },
  buffers: readonly (readonly [offset: number, rowFloats: number])[],
): void {
  const { batch, units } = shape;
  host.range({ kind, n: batch, quantum: 1, elements: batch * units }, (from, to) => [
    ...buffers.map(([offset, rowFloats]) => offset + 4 * from * rowFloats),
    to - from,
    units,
  ]);
}

/** One LSTM step's gates on float32 (the Backend contract's lstmGates). */
export function lstmGates(
  host: KernelHost,
  z: TensorInfo,
  c: TensorInfo,
): { gates: DataId; c: DataId; h: DataId } {
  return host.run([z, c], ([zs, cs]) => {
    const gates = host.alloc('float32', z.shape);
    const cNext = host.alloc('float32', c.shape);
    const h = host.alloc('float32', c.shape);
    const [batch, units] = c.shape as [number, number];
    if (h.size > 0) {
      const w = 4 * units;
      gateRows(host, 'lstmGates', { batch, units }, [
        [zs.offset, w],
        [cs.offset, units],
        [gates.offset, w],
        [cNext.offset, units],
        [h.offset, units],
      ]);
    }
    return { gates, c: cNext, h };
  });
}

export function lstmGatesGrad(
  host: KernelHost,
  gates: TensorInfo,
  c: TensorInfo,
  cNext: TensorInfo,
  dh: TensorInfo,
  dcNext: TensorInfo,
): { dz: DataId; dc: DataId } {
  return host.run([gates, c, cNext, dh, dcNext], ([gs, cs, ns, dhs, dcs]) => {
    const dz = host.alloc('float32', gates.shape);
    const dc = host.alloc('float32', c.shape);
    const [batch, units] = c.shape as [number, number];
    if (dc.size > 0) {
      const w = 4 * units;
      gateRows(host, 'lstmGatesGrad', { batch, units }, [
        [gs.offset, w],
        [cs.offset, units],
        [ns.offset, units],
        [dhs.offset, units],
        [dcs.offset, units],
        [dz.offset, w],
        [dc.offset, units],
      ]);
    }
    return { dz, dc };
  });
}

/** One GRU step's gates on float32 (the Backend contract's gruGates). */
export function gruGates(
  host: KernelHost,
  x: TensorInfo,
  inner: TensorInfo,
  h: TensorInfo,
): { gates: DataId; h: DataId } {
  return host.run([x, inner, h], ([xs, is, hs]) => {
    const gates = host.alloc('float32', x.shape);
    const hNext = host.alloc('float32', h.shape);
    const [batch, units] = h.shape as [number, number];
    if (hNext.size > 0) {
      const w = 3 * units;
      gateRows(host, 'gruGates', { batch, units }, [
        [xs.offset, w],
        [is.offset, w],
        [hs.offset, units],
        [gates.offset, w],
        [hNext.offset, units],
      ]);
    }
    return { gates, h: hNext };
  });
}

export function gruGatesGrad(
  host: KernelHost,
  gates: TensorInfo,
  inner: TensorInfo,
  h: TensorInfo,
  dhNext: TensorInfo,
): { dx: DataId; dInner: DataId; dh: DataId } {
  return host.run([gates, inner, h, dhNext], ([gs, is, hs, ds]) => {
    const dx = host.alloc('float32', gates.shape);
    const dInner = host.alloc('float32', gates.shape);
    const dh = host.alloc('float32', h.shape);
    const [batch, units] = h.shape as [number, number];
    if (dh.size > 0) {
      const w = 3 * units;
      gateRows(host, 'gruGatesGrad', { batch, units }, [
        [gs.offset, w],
        [is.offset, w],
        [hs.offset, units],
        [ds.offset, units],
        [dx.offset, w],
        [dInner.offset, w],
        [dh.offset, units],
      ]);
    }
    return { dx, dInner, dh };
  });
}
