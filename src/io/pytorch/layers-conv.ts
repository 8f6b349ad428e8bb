import type { BaseConv, KernelConv } from '../../layers/conv-base.js';
import type { Conv2DTranspose } from '../../layers/conv.js';
import type { DepthwiseConv2D } from '../../layers/depthwise-conv2d.js';
import type { SeparableConv2D } from '../../layers/separable-conv2d.js';
import type { Layer } from '../../layers/layer.js';
import type { DataFormat, Padding } from '../../ops/conv-geometry.js';
import {
  noWeights,
  py,
  pythonActivation,
  regularizerOf,
  weightNamed,
  weightProblems,
  type TorchConverter,
  type TorchWeight,
} from './layers.js';

/**
 * The PyTorch converters of the convolution family (issue 12): conv1d and conv2d, max and
 * average pooling, global pooling. The modules (python-conv.ts) stay channels-last at their
 * boundary, as sinew, and move the channels in front around torch's NCHW operations.
 */

type ConvLayer = KernelConv;

interface PoolingLayer extends Layer {
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
}

interface GlobalPoolingLayer extends Layer {
  readonly dataFormat: DataFormat;
  readonly keepDims: boolean;
}

function channelsFirst(layer: Layer): string | undefined {
  return (layer as unknown as { dataFormat: DataFormat }).dataFormat === 'channelsLast'
    ? undefined
    : "its dataFormat is 'channelsFirst' (only channelsLast is exported)";
}

const conv: TorchConverter = {
  refuse(layer) {
    const c = layer as ConvLayer;
    if (pythonActivation(c.activation) === undefined) return 'its activation is custom';
    return channelsFirst(layer) ?? weightProblems(layer);
  },
  python(layer, common) {
    const c = layer as ConvLayer;
    const kernel = c.kernel!;
    const trainable = (short: string) => weightNamed(layer, short)?.trainable ?? true;
    return (
      `Conv(${py(c.name)}, ${kernel.shape[c.rank]}, ${c.filters}, ${py(c.kernelSize)}, ` +
      `strides=${py(c.strides)}, padding=${py(c.padding)}, dilation=${py(c.dilationRate)}, ` +
      `${pythonActivation(c.activation)!}, use_bias=${py(c.useBias)}, ` +
      `kernel_regularizer=${regularizerOf(c, 'kernel')}, bias_regularizer=${regularizerOf(c, 'bias')}, ` +
      `kernel_trainable=${py(trainable('kernel'))}, bias_trainable=${py(trainable('bias'))}${common})`
    );
  },
  weights(layer) {
    const c = layer as ConvLayer;
    // [k, in, out] → [out, in, k]; [kh, kw, in, out] → [out, in, kh, kw].
    const perm = c.rank === 1 ? [2, 1, 0] : [3, 2, 0, 1];
    const out: TorchWeight[] = [{ variable: c.kernel!, torchName: 'weight', perm }];
    if (c.bias) out.push({ variable: c.bias, torchName: 'bias' });
    return out;
  },
};

/** Options every 2-D conv module takes after its weights' sizes. */
function geometry(c: BaseConv): string {
  return (
    `strides=${py(c.strides)}, padding=${py(c.padding)}, dilation=${py(c.dilationRate)}, ` +
    `${pythonActivation(c.activation)!}, use_bias=${py(c.useBias)}`
  );
}

const convTranspose: TorchConverter = {
  refuse: conv.refuse!,
  python(layer, common) {
    const c = layer as Conv2DTranspose;
    const trainable = (short: string) => weightNamed(layer, short)?.trainable ?? true;
    return (
      `ConvTranspose(${py(c.name)}, ${c.kernel!.shape[3]}, ${c.filters}, ${py(c.kernelSize)}, ` +
      `${geometry(c)}, output_padding=${py(c.outputPadding ?? null)}, ` +
      `kernel_regularizer=${regularizerOf(c, 'kernel')}, bias_regularizer=${regularizerOf(c, 'bias')}, ` +
      `kernel_trainable=${py(trainable('kernel'))}, bias_trainable=${py(trainable('bias'))}${common})`
    );
  },
  weights(layer) {
    const c = layer as Conv2DTranspose;
    // [kh, kw, out, in] → [in, out, kh, kw].
    const out: TorchWeight[] = [{ variable: c.kernel!, torchName: 'weight', perm: [3, 2, 0, 1] }];
    if (c.bias) out.push({ variable: c.bias, torchName: 'bias' });
    return out;
  },
};

/** Frozen weights inside a layer that stays trainable: the depthwise modules do not say so. */
function partlyFrozen(layer: Layer): string | undefined {
  return layer.trainable && layer.weights.some((w) => !w.trainable)
    ? 'some of its weights are frozen while the layer is trainable'
    : undefined;
}

const separable = (pointwise: boolean): TorchConverter => ({
  refuse: (layer) => conv.refuse!(layer) ?? partlyFrozen(layer),
  python(layer, common) {
    const c = layer as SeparableConv2D & DepthwiseConv2D;
    const depthwise = c.depthwiseKernel!;
    return (
      `SeparableConv(${py(c.name)}, ${depthwise.shape[2]}, ${depthwise.shape[3]}, ` +
      `${py(c.kernelSize)}, ${geometry(c)}, ` +
      (pointwise ? `filters=${c.filters}, ` : '') +
      `depthwise_regularizer=${regularizerOf(c, 'depthwise_kernel')}, ` +
      (pointwise ? `pointwise_regularizer=${regularizerOf(c, 'pointwise_kernel')}, ` : '') +
      `bias_regularizer=${regularizerOf(c, 'bias')}${common})`
    );
  },
  weights(layer) {
    const c = layer as SeparableConv2D & DepthwiseConv2D;
    // depthwise [kh, kw, in, multiplier] → [in, multiplier, kh, kw];
    // pointwise [1, 1, in · multiplier, out] → [out, in · multiplier, 1, 1].
    const out: TorchWeight[] = [
      {
        variable: c.depthwiseKernel!,
        torchName: pointwise ? 'depthwise_weight' : 'weight',
        perm: [2, 3, 0, 1],
      },
    ];
    if (pointwise) {
      out.push({
        variable: c.pointwiseKernel!,
        torchName: 'pointwise_weight',
        perm: [3, 2, 0, 1],
      });
    }
    if (c.bias) out.push({ variable: c.bias, torchName: 'bias' });
    return out;
  },
});

const pooling = (mode: 'max' | 'avg'): TorchConverter => ({
  refuse: channelsFirst,
  python(layer, common) {
    const p = layer as PoolingLayer;
    return (
      `Pooling(${py(p.name)}, ${py(mode)}, ${py(p.poolSize)}, strides=${py(p.strides)}, ` +
      `padding=${py(p.padding)}${common})`
    );
  },
  weights: noWeights,
});

const globalPooling = (mode: 'max' | 'avg', rank: 1 | 2): TorchConverter => ({
  refuse: channelsFirst,
  python(layer, common) {
    const g = layer as GlobalPoolingLayer;
    return `GlobalPooling(${py(g.name)}, ${py(mode)}, ${rank}, keep_dims=${py(g.keepDims)}${common})`;
  },
  weights: noWeights,
});

export const CONV_CONVERTERS: Record<string, TorchConverter> = {
  Conv1D: conv,
  Conv2D: conv,
  Conv2DTranspose: convTranspose,
  DepthwiseConv2D: separable(false),
  SeparableConv2D: separable(true),
  MaxPooling1D: pooling('max'),
  MaxPooling2D: pooling('max'),
  AveragePooling1D: pooling('avg'),
  AveragePooling2D: pooling('avg'),
  GlobalMaxPooling1D: globalPooling('max', 1),
  GlobalAveragePooling1D: globalPooling('avg', 1),
  GlobalMaxPooling2D: globalPooling('max', 2),
  GlobalAveragePooling2D: globalPooling('avg', 2),
};
