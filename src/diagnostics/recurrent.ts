import { activationName } from '../activations/index.js';
import type { Layer } from '../layers/layer.js';
import { LSTMCell } from '../layers/recurrent/cells.js';
import { RNN } from '../layers/recurrent/rnn.js';
import type { Tensor } from '../tensor/tensor.js';
import { SATURATED } from './stats.js';
import type { GateSaturation } from './types.js';

/**
 * Gate saturation of an LSTM layer on the probe, recomputed in plain float64 JavaScript from
 * the layer's recorded input and its weights with the cell math of cell-math.ts (i, f, o =
 * sigmoid, g = tanh; c' = f·c + i·g; h' = o·tanh(c')). Nothing runs outside a monitor record,
 * so the layer's hot path is untouched. Masks and initial states are not replayed (zero
 * initial states, every step counted); goBackwards is honoured.
 *
 * A sigmoid gate output is saturated below 0.01 or above 0.99, the tanh candidate when
 * |g| > 0.99 (the same tests as `saturationFraction`). Undefined for other layers, for an
 * LSTM with non-default activations, or when the input is not [batch, steps, features].
 */
export function lstmGateSaturation(
  layer: Layer,
  input: Tensor | undefined,
): GateSaturation | undefined {
  if (!(layer instanceof RNN) || !(layer.cell instanceof LSTMCell) || input?.rank !== 3) {
    return undefined;
  }
  const cell = layer.cell;
  if (
    activationName(cell.activation) !== 'tanh' ||
    activationName(cell.recurrentActivation) !== 'sigmoid' ||
    cell.kernel === undefined ||
    cell.recurrentKernel === undefined
  ) {
    return undefined;
  }
  const [batch, steps, features] = input.shape as [number, number, number];
  const u = cell.units;
  const x = input.dataSync();
  const w = cell.kernel.dataSync();
  const r = cell.recurrentKernel.dataSync();
  const b = cell.bias?.dataSync();
  const counts = [0, 0, 0, 0];
  const z = new Float64Array(4 * u);
  const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
  const gate = new Float64Array(4 * u);
  for (let s = 0; s < batch; s++) {
    const h = new Float64Array(u);
    const c = new Float64Array(u);
    for (let t = 0; t < steps; t++) {
      const k = layer.goBackwards ? steps - 1 - t : t;
      const row = (s * steps + k) * features;
      for (let j = 0; j < 4 * u; j++) {
        let acc = b === undefined ? 0 : b[j]!;
        for (let f = 0; f < features; f++) acc += x[row + f]! * w[f * 4 * u + j]!;
        for (let q = 0; q < u; q++) acc += h[q]! * r[q * 4 * u + j]!;
        z[j] = acc;
      }
      for (let j = 0; j < 4 * u; j++) {
        const block = Math.floor(j / u);
        const v = block === 2 ? Math.tanh(z[j]!) : sigmoid(z[j]!);
        gate[j] = v;
        const saturated = block === 2 ? SATURATED.tanh(v) : SATURATED.sigmoid(v);
        if (saturated || Number.isNaN(v)) counts[block]!++;
      }
      for (let q = 0; q < u; q++) {
        c[q] = gate[u + q]! * c[q]! + gate[q]! * gate[2 * u + q]!;
        h[q] = gate[3 * u + q]! * Math.tanh(c[q]!);
      }
    }
  }
  const n = batch * steps * u;
  if (n === 0) return undefined;
  const [input_, forget, candidate, output] = counts.map((k) => k / n) as [
    number,
    number,
    number,
    number,
  ];
  return {
    input: input_,
    forget,
    candidate,
    output,
    all: (counts[0]! + counts[1]! + counts[2]! + counts[3]!) / (4 * n),
  };
}
