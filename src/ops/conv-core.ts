import type { Conv2DInfo } from '../backends/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { backend, defineGradients, makeTensor, type GradientRule } from './op.js';

/**
 * The three backend kernels of a channels-last convolution, each recorded with its gradient.
 * A convolution y = conv(x, f) is linear in x and in f; its input gradient dx = input(dy, f)
 * and filter gradient df = filter(x, dy) are the same trilinear sum Σ x·f·dy over the window
 * taps read three ways. So the gradient of each of the three is made of the other two:
 *
 *   forward(x, f)  → y:   dx  = input(g, f),    df  = filter(x, g)
 *   input(dy, f)   → dx:  ddy = forward(g, f),  df  = filter(g, dy)
 *   filter(x, dy)  → df:  dx  = input(dy, g),   ddy = forward(x, g)
 *
 * conv2dTranspose is `input` applied to its x, so its gradients are the second line. (The
 * third line is reached only by differentiating a gradient.) 'conv2d' is the full convolution
 * (filter [fh, fw, cin, cout]); 'depthwise' filters each input channel on its own (filter
 * [fh, fw, cin, multiplier]).
 */
export type ConvKind = 'conv2d' | 'depthwise';

/** What each of the three saves: the kind, its two inputs and the window geometry. */
interface ForwardSaved {
  kind: ConvKind;
  x: Tensor;
  filter: Tensor;
  info: Conv2DInfo;
}
interface InputSaved {
  kind: ConvKind;
  dy: Tensor;
  filter: Tensor;
  info: Conv2DInfo;
}
interface FilterSaved {
  kind: ConvKind;
  x: Tensor;
  dy: Tensor;
  info: Conv2DInfo;
}

// The three lines of the table above, one rule each, shared by both kinds.
const forwardGradient: GradientRule<ForwardSaved> = ([g], { kind, x, filter, info }, needed) => [
  needed[0] ? convInput(kind, g, filter, info) : undefined,
  needed[1] ? convFilter(kind, x, g, info) : undefined,
];
const inputGradient: GradientRule<InputSaved> = ([g], { kind, dy, filter, info }, needed) => [
  needed[0] ? convForward(kind, g, filter, info) : undefined,
  needed[1] ? convFilter(kind, g, dy, info) : undefined,
];
const filterGradient: GradientRule<FilterSaved> = ([g], { kind, x, dy, info }, needed) => [
  needed[0] ? convInput(kind, dy, g, info) : undefined,
  needed[1] ? convForward(kind, x, g, info) : undefined,
];

interface ConvSaved {
  conv2d: ForwardSaved;
  conv2dBackpropInput: InputSaved;
  conv2dBackpropFilter: FilterSaved;
  depthwiseConv2d: ForwardSaved;
  depthwiseConv2dBackpropInput: InputSaved;
  depthwiseConv2dBackpropFilter: FilterSaved;
}
const recordConv = defineGradients<ConvSaved>({
  conv2d: forwardGradient,
  conv2dBackpropInput: inputGradient,
  conv2dBackpropFilter: filterGradient,
  depthwiseConv2d: forwardGradient,
  depthwiseConv2dBackpropInput: inputGradient,
  depthwiseConv2dBackpropFilter: filterGradient,
});

/** y [b, oh, ow, outChannels] from x [b, h, w, inChannels] and the filter. */
export function convForward(kind: ConvKind, x: Tensor, filter: Tensor, info: Conv2DInfo): Tensor {
  const be = backend();
  const id = kind === 'conv2d' ? be.conv2d(x, filter, info) : be.depthwiseConv2d(x, filter, info);
  const shape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
  const y = makeTensor(id, shape, x.dtype);
  const op = kind === 'conv2d' ? 'conv2d' : 'depthwiseConv2d';
  recordConv(op, [x, filter], [y], { kind, x, filter, info });
  return y;
}

/** dx [b, h, w, inChannels] from dy [b, oh, ow, outChannels] and the filter. */
export function convInput(kind: ConvKind, dy: Tensor, filter: Tensor, info: Conv2DInfo): Tensor {
  const be = backend();
  const id =
    kind === 'conv2d'
      ? be.conv2dBackpropInput(dy, filter, info)
      : be.depthwiseConv2dBackpropInput(dy, filter, info);
  const shape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
  const dx = makeTensor(id, shape, dy.dtype);
  const op = kind === 'conv2d' ? 'conv2dBackpropInput' : 'depthwiseConv2dBackpropInput';
  recordConv(op, [dy, filter], [dx], { kind, dy, filter, info });
  return dx;
}

/** dfilter (the filter's shape) from x [b, h, w, inChannels] and dy [b, oh, ow, outChannels]. */
export function convFilter(kind: ConvKind, x: Tensor, dy: Tensor, info: Conv2DInfo): Tensor {
  const be = backend();
  const id =
    kind === 'conv2d'
      ? be.conv2dBackpropFilter(x, dy, info)
      : be.depthwiseConv2dBackpropFilter(x, dy, info);
  const last = kind === 'conv2d' ? info.outChannels : info.outChannels / info.inChannels;
  const shape = [info.filterHeight, info.filterWidth, info.inChannels, last];
  const df = makeTensor(id, shape, x.dtype);
  const op = kind === 'conv2d' ? 'conv2dBackpropFilter' : 'depthwiseConv2dBackpropFilter';
  recordConv(op, [x, dy], [df], { kind, x, dy, info });
  return df;
}
