import type { Activation } from '../../activations/index.js';
import type { Layer } from '../../layers/layer.js';
import type { ProjectedCell } from '../../layers/recurrent/cells.js';
import type { RNN } from '../../layers/recurrent/rnn.js';
import {
  py,
  pythonActivation,
  regularizerOf,
  weightProblems,
  type TorchConverter,
  type TorchWeight,
} from './layers.js';

/**
 * The PyTorch converters of simpleRNN, lstm and gru (issue 15); their module is in
 * python-recurrent.ts. Dropout inside the cell, returned states and stateful layers are
 * refused (the module has none of them).
 */

/** The cell fields read: the LSTM and GRU cells add recurrentActivation, GRU resetAfter. */
type Cell = ProjectedCell & { recurrentActivation?: Activation; resetAfter?: boolean };
const cellOf = (layer: Layer): Cell => (layer as RNN).cell as Cell;

/** `activation=..., activation_config=...` under another keyword (recurrent_activation). */
function renamed(a: Activation, key: string): string | undefined {
  return pythonActivation(a)
    ?.replace(/^activation=/, `${key}=`)
    .replace(', activation_config=', `, ${key}_config=`);
}

const recurrent = (kind: 'simple' | 'lstm' | 'gru'): TorchConverter => ({
  refuse(layer) {
    const r = layer as RNN;
    const cell = cellOf(layer);
    if (pythonActivation(cell.activation) === undefined) return 'its activation is custom';
    if (cell.recurrentActivation && pythonActivation(cell.recurrentActivation) === undefined) {
      return 'its recurrentActivation is custom';
    }
    if (cell.dropout > 0 || cell.recurrentDropout > 0) {
      return 'it has dropout or recurrentDropout (not exported)';
    }
    if (r.returnState) return 'it returns its states (returnState is not exported)';
    if (r.stateful) return 'it is stateful (not exported)';
    if (layer.weights.some((w) => w.trainable !== layer.trainable)) {
      return 'some of its weights are frozen while the layer is trainable';
    }
    return weightProblems(layer);
  },
  python(layer, common) {
    const r = layer as RNN;
    const cell = cellOf(layer);
    const recurrentAct = cell.recurrentActivation
      ? `${renamed(cell.recurrentActivation, 'recurrent_activation')!}, `
      : '';
    return (
      `Recurrent(${py(r.name)}, ${py(kind)}, ${cell.kernel!.shape[0]}, ${cell.units}, ` +
      `${pythonActivation(cell.activation)!}, ${recurrentAct}use_bias=${py(cell.useBias)}, ` +
      (kind === 'gru' ? `reset_after=${py(cell.resetAfter)}, ` : '') +
      `return_sequences=${py(r.returnSequences)}, go_backwards=${py(r.goBackwards)}, ` +
      `kernel_regularizer=${regularizerOf(layer, 'kernel')}, ` +
      `recurrent_regularizer=${regularizerOf(layer, 'recurrent_kernel')}, ` +
      `bias_regularizer=${regularizerOf(layer, 'bias')}${common})`
    );
  },
  weights(layer) {
    const cell = cellOf(layer);
    const out: TorchWeight[] = [
      { variable: cell.kernel!, torchName: 'weight_ih', perm: [1, 0] },
      { variable: cell.recurrentKernel!, torchName: 'weight_hh', perm: [1, 0] },
    ];
    if (cell.bias) out.push({ variable: cell.bias, torchName: 'bias' });
    return out;
  },
});

export const RECURRENT_CONVERTERS: Record<string, TorchConverter> = {
  SimpleRNN: recurrent('simple'),
  LSTM: recurrent('lstm'),
  GRU: recurrent('gru'),
};
