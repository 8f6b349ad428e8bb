import { describe, SerializationError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import { transpose } from '../../ops/index.js';
import { formatShape, shapesEqual } from '../../tensor/shape.js';
import { readSafetensors } from '../safetensors.js';
import { torchPlan, torchWeights } from './plan.js';

/**
 * Sets the weights of `model` from a safetensors file written by a PyTorch run of the module
 * sn.io.exportPyTorch made (train.py saves one at the end), or by the exporter itself:
 * `await sn.io.loadSafetensors(model, 'torch-run/weights.safetensors')`. Names are the torch
 * module's ('encoder.weight', 'bn.running_var'); layouts are converted back (a Linear weight
 * [out, in] becomes the Dense kernel [in, out]). Every name, shape and value is checked
 * before any weight changes: a file that is cut off, names a weight the model lacks or lacks
 * one the model has is a SerializationError and the model is left as it was.
 */
export async function loadSafetensors(model: Layer, path: string): Promise<void> {
  const where = 'loadSafetensors';
  const plan = torchPlan(model, where);
  if (typeof path !== 'string' || path === '') {
    throw new SerializationError(
      `${where}: expected the path of a .safetensors file as the second argument, received ${describe(path)}.`,
    );
  }
  const file = path.replace(/^file:\/\//, '');
  const entries = await readSafetensors(file);
  const expected = torchWeights(plan);
  const byName = new Map(entries.map((e) => [e.name, e.tensor]));
  const known = new Set(expected.map((w) => w.name));
  const extra = entries.map((e) => e.name).filter((n) => !known.has(n));
  const missing = expected.map((w) => w.name).filter((n) => !byName.has(n));
  const list = (names: string[]) => names.map((n) => `'${n}'`).join(', ');
  if (extra.length > 0 || missing.length > 0) {
    throw new SerializationError(
      `${file}: the weights do not fit ${(model as Layer).describeSelf()}: ` +
        [
          extra.length ? `the file names ${list(extra)}, which the model lacks` : '',
          missing.length ? `the model needs ${list(missing)}, which the file lacks` : '',
        ]
          .filter(Boolean)
          .join('; ') +
        `. The model's weights are ${list([...known])}. Fix: load into the model that was ` +
        'exported (same layers, same names), or export it again.',
    );
  }
  const values = expected.map((w) => {
    const saved = byName.get(w.name)!;
    // torch's axis i is sinew's axis perm[i]: sinew's axis a is torch's perm.indexOf(a).
    const back = w.perm ? w.perm.map((_, a) => w.perm!.indexOf(a)) : undefined;
    const value = back && saved.rank === back.length ? transpose(saved, back) : saved;
    const torchShape = w.perm ? w.perm.map((a) => w.variable.shape[a]!) : w.variable.shape;
    if (
      !shapesEqual(value.shape, w.variable.shape) ||
      (saved.dtype === 'int32') !== (w.variable.dtype === 'int32')
    ) {
      throw new SerializationError(
        `${file}: '${w.name}' is ${formatShape(saved.shape)} ${saved.dtype} in the file; ` +
          `'${w.variable.name}' needs ${formatShape(torchShape)} ${w.variable.dtype} ` +
          `(torch's layout of ${formatShape(w.variable.shape)}). ` +
          'Fix: load into the model that was exported, or export it again.',
      );
    }
    return value;
  });
  // Everything is checked: now change the model.
  expected.forEach((w, i) => {
    const v = values[i]!;
    w.variable.assign(v.dtype === w.variable.dtype ? v : v.cast(w.variable.dtype));
  });
}
