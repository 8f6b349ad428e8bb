import { ConfigError, describe } from '../errors.js';
import type { ConfigDict } from '../serialization.js';
import { checkDType, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput } from './layer.js';
import { SymbolicTensor, type Node } from './symbolic.js';
import { checkOptionKeys, optionKeys } from '../validation.js';

export interface InputOptions {
  /** Shape of one sample, without the batch dimension (null for a dimension of any size). */
  shape: readonly (number | null)[];
  /** A fixed batch size (default: any). */
  batchSize?: number;
  dtype?: DType;
  name?: string;
}
export const INPUT_OPTION_KEYS = optionKeys<InputOptions>()({
  shape: true,
  batchSize: true,
  dtype: true,
  name: true,
});

/** The layer behind `sn.input`: the start of a functional graph. Calling it is the identity. */
export class InputLayer extends Layer {
  static override readonly className: string = 'InputLayer';
  readonly output: SymbolicTensor;

  constructor(options: InputOptions) {
    if (typeof options !== 'object' || options === null || !Array.isArray(options.shape)) {
      throw new ConfigError(
        `input: expected an options object with a shape, e.g. sn.input({ shape: [784] }), received ${describe(options)}.`,
      );
    }
    checkOptionKeys(options, 'input', INPUT_OPTION_KEYS);
    if (!options.shape.every((d) => d === null || (Number.isInteger(d) && d >= 0))) {
      throw new ConfigError(
        `input: shape entries must be non-negative integers or null, received ${describe(options.shape)}.`,
      );
    }
    const dtype = checkDType(options.dtype ?? 'float32', 'input');
    super({
      batchInputShape: [options.batchSize ?? null, ...options.shape],
      dtype,
      ...(options.name ? { name: options.name } : {}),
    });
    this.built = true;
    const outputs: SymbolicTensor[] = [];
    const node: Node = { layer: this, inputs: [], outputs, singleInput: true };
    outputs.push(new SymbolicTensor(this.batchInputShape!, dtype, node, 0));
    this.inboundNodes.push(node);
    this.output = outputs[0]!;
  }

  call(inputs: LayerInput): Tensor {
    return Array.isArray(inputs) ? inputs[0]! : (inputs as Tensor);
  }

  override getConfig(): ConfigDict {
    return { name: this.name, dtype: this.dtype, batchInputShape: this.batchInputShape!.slice() };
  }

  static override fromConfig(config: ConfigDict): InputLayer {
    const batch = config.batchInputShape as (number | null)[];
    return new InputLayer({
      shape: batch.slice(1),
      ...(batch[0] !== null ? { batchSize: batch[0] as number } : {}),
      dtype: config.dtype as DType,
      name: config.name as string,
    });
  }
}

/** A symbolic input for the functional API: `const x = sn.input({ shape: [784] })`. */
export function input(options: InputOptions): SymbolicTensor {
  return new InputLayer(options).output;
}
