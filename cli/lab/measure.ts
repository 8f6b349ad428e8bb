import * as sn from 'sinew';
import { codeLayerName } from './variants.js';

/** The numbers of one row of the lab's table, measured on the test digits. */
export interface Measures {
  /** Reconstruction error on the test set (mean squared error per pixel). */
  mse: number;
  /** Sum of every regularization term on the test set (kernel and activity). */
  regularization: number;
  /** Mean |code| over test digits and units. */
  meanAbsCode: number;
  /** Average, over digits, of the fraction of code units above 0.1. */
  activeFraction: number;
  /** Fraction of the code layer's sigmoid outputs below 0.01 or above 0.99. */
  saturatedFraction: number;
  /** Code units (a conv code's channels) that never exceed 0.1 on any test digit (or position). */
  deadUnits: number;
  /** Euclidean norm of the encoder's kernel. */
  kernelNorm: number;
  /** Largest |weight| of the encoder's kernel. */
  maxAbsWeight: number;
  /** Mean |pre-activation| of the code's sigmoid (NaN when the layer does not report it). */
  meanAbsPreActivation: number;
}

/** The layers whose outputs the measures read: the code's, the encoder's, 'code' and the last. */
function measuredLayers(model: sn.Model): Set<string> {
  return new Set([codeLayerName(model), 'encoder', 'code', model.layers.at(-1)!.name]);
}

/**
 * Runs the model on the test inputs in batches, with a tap keeping the outputs and
 * pre-activations of the measured layers only (a conv model's other feature maps, over the
 * whole test set, would be hundreds of MiB that the wasm memory keeps reserved afterwards).
 */
function capture(
  model: sn.Model,
  x: sn.Tensor,
): { outputs: Map<string, sn.Tensor[]>; pre: Map<string, sn.Tensor[]> } {
  const outputs = new Map<string, sn.Tensor[]>();
  const pre = new Map<string, sn.Tensor[]>();
  const kept = measuredLayers(model);
  const push = (map: Map<string, sn.Tensor[]>, name: string, t: sn.Tensor) => {
    if (kept.has(name)) map.set(name, [...(map.get(name) ?? []), t]);
  };
  const n = x.shape[0]!;
  sn.noGrad(() => {
    for (let start = 0; start < n; start += 500) {
      const batch = sn.slice(x, [start, 0], { size: [Math.min(500, n - start), -1] });
      sn.layers.withTap(
        {
          onOutput: (layer, _inputs, outs) => push(outputs, layer.name, outs[0]!),
          onPreActivation: (layer, p) => push(pre, layer.name, p),
        },
        () => model.apply(batch),
      );
    }
  });
  return { outputs, pre };
}

/** The encoder's kernel (a Dense's [784, 256] or the code conv's [3, 3, 16, 8]). */
function encoderKernel(model: sn.Model): sn.Tensor {
  const layer = model.getLayer('encoder');
  const kernel = layer.ownWeights.find((w) => w.name.endsWith('/kernel'));
  if (!kernel) throw new Error(`lab: layer 'encoder' of '${model.name}' has no kernel`);
  return kernel;
}

export function measure(model: sn.Model, xTest: sn.Tensor, yTest: sn.Tensor): Measures {
  const { outputs, pre } = capture(model, xTest);
  const joined = (list: sn.Tensor[] | undefined): sn.Tensor => sn.concat(list!, 0);
  const code = joined(outputs.get(codeLayerName(model)));
  // The sigmoid that makes the code: the 'code' activation layer where there is one, else the encoder.
  const sigmoidLayer = pre.has('code') ? 'code' : 'encoder';
  const sigmoidOut = joined(outputs.get(sigmoidLayer));
  const preList = pre.get(sigmoidLayer) ?? pre.get('encoder');
  const preActivation = preList ? joined(preList) : undefined;
  // The model's output: the last layer's (the dense lab's decoder, the conv lab's reshape to 784).
  const reconstruction = joined(outputs.get(model.layers.at(-1)!.name));
  const kernel = encoderKernel(model);
  // A unit is the last axis: a dense code's unit, a conv code's channel (over every position).
  const units = code.shape.at(-1)!;
  const values = sigmoidOut.dataSync();
  let saturated = 0;
  for (const v of values) if (v < 0.01 || v > 0.99) saturated++;
  const logs = model.evaluate(xTest, yTest, { batchSize: 500 });
  return {
    mse: sn.mean(sn.square(sn.sub(reconstruction, yTest))).item(),
    regularization: logs.regularization_loss ?? 0,
    meanAbsCode: sn.mean(sn.abs(code)).item(),
    activeFraction: sn.mean(sn.cast(sn.greater(code, 0.1), 'float32')).item(),
    saturatedFraction: saturated / values.length,
    deadUnits: sn
      .sum(sn.cast(sn.lessEqual(sn.max(sn.reshape(code, [-1, units]), 0), 0.1), 'int32'))
      .item(),
    kernelNorm: sn.norm(kernel).item(),
    maxAbsWeight: sn.max(sn.abs(kernel)).item(),
    meanAbsPreActivation: preActivation ? sn.mean(sn.abs(preActivation)).item() : NaN,
  };
}

/** The encoder's first `count` kernel columns: what each code unit looks for, as 28×28 tiles. */
export function features(model: sn.Model, count: number): number[][] {
  const kernel = encoderKernel(model);
  const columns = sn.transpose(
    sn.slice(kernel, [0, 0], { size: [-1, Math.min(count, kernel.shape[1]!)] }),
  );
  return (columns.arraySync() as number[][]).map((row) => row.slice());
}

/**
 * A conv code's feature maps for the first `digits` inputs: one tile per digit and channel
 * (digit by digit, channels in order), each the channel's map of `height × width` values.
 */
export function featureMaps(
  model: sn.Model,
  x: sn.Tensor,
  digits: number,
): { digits: number; channels: number; tileWidth: number; tileHeight: number; tiles: number[][] } {
  const n = Math.min(digits, x.shape[0]!);
  const { outputs } = capture(model, sn.slice(x, [0, 0], { size: [n, -1] }));
  const code = outputs.get(codeLayerName(model))![0]!;
  const [, h, w, c] = code.shape as [number, number, number, number];
  // [n, h, w, c] → [n, c, h·w]: each row a channel's map.
  const maps = sn.transpose(sn.reshape(code, [n, h * w, c]), [0, 2, 1]);
  const tiles = (maps.arraySync() as number[][][]).flat();
  return { digits: n, channels: c, tileWidth: w, tileHeight: h, tiles };
}
