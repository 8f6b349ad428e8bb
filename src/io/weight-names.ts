import type { Layer, LayerVariable } from '../layers/layer.js';
import { RNN } from '../layers/recurrent/rnn.js';
import { StackedRNNCells } from '../layers/recurrent/stacked-cells.js';
import { Bidirectional, TimeDistributed } from '../layers/recurrent/wrappers.js';
import type { Model } from '../models/model.js';

/**
 * The names of a model's weights in a model file, as TensorFlow.js scopes them. A weight is
 * saved under its variable's name ('lstm/kernel') except inside the recurrent wrappers, whose
 * nested layers TensorFlow.js names by the outer layer:
 *   bidirectional 'bi' around 'lstm':   bi/forward_lstm/kernel, bi/backward_lstm/kernel
 *   timeDistributed 'td' around dense:  td/kernel
 *   rnn 'rnn' over one cell:            rnn/kernel
 *   rnn 'rnn' over stackedRNNCells:     rnn/RNNCell_0/kernel, rnn/RNNCell_1/kernel, ...
 */
export function fileWeightNames(model: Model): Map<LayerVariable, string> {
  const names = new Map<LayerVariable, string>();
  for (const layer of model.layers) scoped(layer, undefined, names);
  return names;
}

function scoped(layer: Layer, prefix: string | undefined, names: Map<LayerVariable, string>): void {
  const set = (w: LayerVariable, name: string): void => {
    if (!names.has(w)) names.set(w, prefix === undefined ? name : `${prefix}/${name}`);
  };
  if (layer instanceof Bidirectional) {
    const inner = new Map<LayerVariable, string>();
    scoped(layer.forwardLayer, undefined, inner);
    scoped(layer.backwardLayer, undefined, inner);
    for (const [w, name] of inner) set(w, `${layer.name}/${name}`);
  } else if (layer instanceof TimeDistributed) {
    for (const w of layer.layer.weights) set(w, `${layer.name}/${w.shortName}`);
  } else if (layer instanceof RNN) {
    const cell = layer.cell;
    if (cell instanceof StackedRNNCells) {
      cell.cells.forEach((c, i) => {
        for (const w of c.weights) set(w, `${layer.name}/RNNCell_${i}/${w.shortName}`);
      });
    } else {
      for (const w of cell.weights) set(w, `${layer.name}/${w.shortName}`);
    }
  }
  for (const w of layer.weights) set(w, w.name);
}
