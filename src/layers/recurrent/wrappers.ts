import { ConfigError, ShapeError, SinewError, describe } from '../../errors.js';
import { add, concat, div, gather, mul, reshape } from '../../ops/index.js';
import { withoutNulls, type ConfigDict } from '../../serialization.js';
import { range } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOneOf, optionKeys, pickOptions } from '../../validation.js';
import {
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  LAYER_OPTION_KEY_SET,
} from '../layer.js';
import { formatSymbolicShape, type SymbolicShape } from '../symbolic.js';
import { RNN, deserializeLayer, serializeLayer } from './rnn.js';

export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave';

export interface BidirectionalOptions extends LayerOptions {
  /** The recurrent layer run forwards; a copy of its config (goBackwards flipped) runs backwards. */
  layer: RNN;
  /** How the two outputs are combined (default 'concat'); null returns both, [forward, backward]. */
  mergeMode?: BidirectionalMergeMode | null;
  /** A recurrent layer of your own for the backward direction (its goBackwards must be true). */
  backwardLayer?: RNN;
}
export const BIDIRECTIONAL_OPTION_KEYS = optionKeys<BidirectionalOptions>()({
  ...LAYER_OPTION_KEY_SET,
  layer: true,
  mergeMode: true,
  backwardLayer: true,
});

/**
 * Runs a recurrent layer over the sequence in both directions and merges the two outputs
 * (Keras's Bidirectional). The backward layer's sequence output is reversed back to the input
 * order before the merge. Layers are named `forward_<name>` and `backward_<name>` (weights
 * `forward_lstm/kernel`, ...). With returnState the result is
 * [merged, ...forwardStates, ...backwardStates] ([forward, backward, ...states] with mergeMode
 * null). With a mask and returnSequences, masked steps output zeros (as Keras).
 *
 *   sn.layers.bidirectional({ layer: sn.layers.lstm({ units: 16, returnSequences: true }) })
 */
export class Bidirectional extends Layer {
  static override readonly className: string = 'Bidirectional';
  static override readonly optionKeys: readonly string[] = BIDIRECTIONAL_OPTION_KEYS;
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: BidirectionalMergeMode | null;

  constructor(options: BidirectionalOptions) {
    super(options);
    const where = this.describeSelf();
    if (!(options?.layer instanceof RNN)) {
      throw new ConfigError(
        `${where}: layer must be a recurrent layer (lstm, gru, simpleRNN, rnn), received ${describe(options?.layer)}; ` +
          'e.g. sn.layers.bidirectional({ layer: sn.layers.lstm({ units: 8 }) }).',
      );
    }
    this.mergeMode =
      options.mergeMode === null
        ? null
        : checkOneOf<BidirectionalMergeMode>(
            options.mergeMode,
            where,
            'mergeMode',
            ['concat', 'sum', 'mul', 'ave'],
            {
              fallback: 'concat',
            },
          );
    const inner = options.layer;
    const cls = inner.constructor as typeof RNN;
    this.forwardLayer = cls.fromConfig({ ...inner.getConfig(), name: `forward_${inner.name}` });
    if (options.backwardLayer !== undefined) {
      if (!(options.backwardLayer instanceof RNN) || !options.backwardLayer.goBackwards) {
        throw new ConfigError(
          `${where}: backwardLayer must be a recurrent layer with goBackwards: true, received ${describe(options.backwardLayer)}.`,
        );
      }
      this.backwardLayer = options.backwardLayer;
    } else {
      this.backwardLayer = cls.fromConfig({
        ...inner.getConfig(),
        name: `backward_${inner.name}`,
        goBackwards: !inner.goBackwards,
      });
    }
    if (inner.returnSequences) {
      this.forwardLayer.zeroOutputForMask = true;
      this.backwardLayer.zeroOutputForMask = true;
    }
  }

  override get sublayers(): readonly Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.forwardLayer.build(inputShape);
    this.forwardLayer.built = true;
    this.backwardLayer.build(inputShape);
    this.backwardLayer.built = true;
  }

  call(inputs: LayerInput, options: CallOptions): Tensor | Tensor[] {
    const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : (inputs as Tensor);
    const opts: CallOptions = { training: options.training === true };
    if (options.mask) opts.mask = options.mask;
    const f = this.forwardLayer.apply(x, opts);
    const b = this.backwardLayer.apply(x, opts);
    const [yf, ...sf] = Array.isArray(f) ? f : [f];
    const [ybRaw, ...sb] = Array.isArray(b) ? b : [b];
    let yb = ybRaw;
    if (this.forwardLayer.returnSequences) {
      const steps = yb!.shape[1]!;
      yb = gather(yb!, range(steps - 1, -1, -1, 'int32'), { axis: 1 });
    }
    const states = [...sf, ...sb];
    const merged = this.#merge(yf!, yb!);
    const head = Array.isArray(merged) ? merged : [merged];
    if (states.length === 0 && !Array.isArray(merged)) return merged;
    return [...head, ...states];
  }

  #merge(a: Tensor, b: Tensor): Tensor | Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return concat([a, b], -1);
      case 'sum':
        return add(a, b);
      case 'mul':
        return mul(a, b);
      case 'ave':
        return div(add(a, b), 2);
      default:
        return [a, b];
    }
  }

  override computeMask(_inputs: LayerInput, mask: Tensor | undefined): Tensor | undefined {
    return this.forwardLayer.returnSequences ? mask : undefined;
  }

  override computeOutputShape(
    inputShape: SymbolicShape | SymbolicShape[],
  ): SymbolicShape | SymbolicShape[] {
    const f = this.forwardLayer.computeOutputShape(inputShape);
    const b = this.backwardLayer.computeOutputShape(inputShape);
    const fl = (this.forwardLayer.returnState ? f : [f]) as SymbolicShape[];
    const bl = (this.backwardLayer.returnState ? b : [b]) as SymbolicShape[];
    const y = fl[0]!;
    const states = [...fl.slice(1), ...bl.slice(1)];
    const last = y[y.length - 1];
    const head: SymbolicShape[] =
      this.mergeMode === null
        ? [y, bl[0]!]
        : this.mergeMode === 'concat'
          ? [[...y.slice(0, -1), last === null || last === undefined ? null : 2 * last]]
          : [y];
    return head.length === 1 && states.length === 0 ? head[0]! : [...head, ...states];
  }

  override getConfig(): ConfigDict {
    const inner = this.forwardLayer.getConfig();
    delete inner.name;
    const innerName = this.forwardLayer.name.replace(/^forward_/, '');
    return {
      ...super.getConfig(),
      layer: { className: this.forwardLayer.className, config: { ...inner, name: innerName } },
      mergeMode: this.mergeMode,
    };
  }

  static override fromConfig(config: ConfigDict): Bidirectional {
    const { layer, ...rest } = pickOptions(withoutNulls(config), BIDIRECTIONAL_OPTION_KEYS);
    delete rest.mergeMode;
    const inner = deserializeLayer(layer, 'Bidirectional');
    if (!(inner instanceof RNN)) {
      throw new ConfigError(
        `Bidirectional: the nested layer must be recurrent, received ${inner.className}.`,
      );
    }
    return new Bidirectional({
      ...(rest as LayerOptions),
      layer: inner,
      // Keras writes merge_mode null for "return both"; a config without the key means concat.
      mergeMode: ('mergeMode' in config
        ? config.mergeMode
        : 'concat') as BidirectionalMergeMode | null,
    });
  }
}

export type TimeDistributedOptions = LayerOptions & {
  /** The layer applied to every time step (the same weights at each step). */
  layer: Layer;
};
export const TIME_DISTRIBUTED_OPTION_KEYS = optionKeys<TimeDistributedOptions>()({
  ...LAYER_OPTION_KEY_SET,
  layer: true,
});

/**
 * Applies a layer to every time step of [batch, steps, ...] with the same weights (Keras's
 * TimeDistributed): the steps are folded into the batch ([batch·steps, ...]), the layer runs
 * once, and the result is unfolded to [batch, steps, ...out]. A mask passes through.
 *
 *   sn.layers.timeDistributed({ layer: sn.layers.dense({ units: 10 }) })
 */
export class TimeDistributed extends Layer {
  static override readonly className: string = 'TimeDistributed';
  static override readonly optionKeys: readonly string[] = TIME_DISTRIBUTED_OPTION_KEYS;
  readonly layer: Layer;

  constructor(options: TimeDistributedOptions) {
    super(options);
    if (!(options?.layer instanceof Layer)) {
      throw new ConfigError(
        `${this.describeSelf()}: layer must be a layer, received ${describe(options?.layer)}; e.g. sn.layers.timeDistributed({ layer: sn.layers.dense({ units: 4 }) }).`,
      );
    }
    this.layer = options.layer;
  }

  override get sublayers(): readonly Layer[] {
    return [this.layer];
  }

  override get supportsMasking(): boolean {
    return true;
  }

  #innerShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    if (shape.length < 3) {
      throw new ShapeError(
        `${this.describeSelf()} expected input of rank >= 3 [batch, steps, ...], received shape ${formatSymbolicShape(shape)}; ` +
          'it applies its layer to each step, so the input needs a steps axis (for [batch, features] use the layer directly).',
      );
    }
    return [null, ...shape.slice(2)];
  }

  /** The inner layer's own error, retold with the per-step shape it was given. */
  #refused(e: unknown, inner: SymbolicShape, shape: SymbolicShape | SymbolicShape[]): never {
    const why = e instanceof Error ? e.message : String(e);
    throw new ShapeError(
      `${this.describeSelf()} gives ${this.layer.describeSelf()} each step of input ${formatSymbolicShape(shape as SymbolicShape)}, ` +
        `i.e. shape ${formatSymbolicShape(inner)}, which it cannot take: ${why} ` +
        'Fix: reshape the data so each step has the shape the inner layer expects, or choose an inner layer for that shape.',
      { cause: e },
    );
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const inner = this.#innerShape(inputShape);
    if (this.layer.built) return;
    try {
      this.layer.build(inner);
      this.layer.built = true;
      this.layer.computeOutputShape(inner);
    } catch (e) {
      this.#refused(e, inner, inputShape);
    }
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : (inputs as Tensor);
    const [batch, steps, ...rest] = x.shape as [number, number, ...number[]];
    let y: Tensor;
    try {
      const out = this.layer.apply(reshape(x, [batch * steps, ...rest]), {
        training: options.training === true,
      });
      if (Array.isArray(out)) {
        throw new ConfigError(
          `${this.layer.describeSelf()} returned ${out.length} outputs; timeDistributed needs a layer with one output.`,
        );
      }
      y = out;
    } catch (e) {
      if (e instanceof SinewError && !(e instanceof ShapeError)) throw e;
      this.#refused(e, [null, ...rest], [null, null, ...rest]);
    }
    return reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const inner = this.#innerShape(inputShape);
    let out: SymbolicShape | SymbolicShape[];
    try {
      out = this.layer.computeOutputShape(inner);
    } catch (e) {
      this.#refused(e, inner, inputShape);
    }
    const o = (Array.isArray(out[0]) ? out[0] : out) as SymbolicShape;
    return [shape[0] ?? null, shape[1] ?? null, ...o.slice(1)];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }

  static override fromConfig(config: ConfigDict): TimeDistributed {
    const { layer, ...rest } = pickOptions(withoutNulls(config), TIME_DISTRIBUTED_OPTION_KEYS);
    return new TimeDistributed({
      ...(rest as LayerOptions),
      layer: deserializeLayer(layer, 'TimeDistributed'),
    });
  }
}
