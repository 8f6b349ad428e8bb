import type { DType } from '../tensor/dtype.js';
import type { Layer } from './layer.js';

/**
 * The symbolic side of the functional API. `sn.input({ shape })` makes a SymbolicTensor; a
 * layer applied to SymbolicTensors builds itself, records a Node (layer, inputs, outputs) and
 * returns new SymbolicTensors with the output shapes. A Model is the graph of nodes between
 * its inputs and outputs; calling it runs the nodes in order on real tensors. Nothing is
 * computed symbolically, and no regularization is recorded (docs/semantics.md rule 5).
 */

/** A shape whose batch (or any) dimension may be unknown (null). */
export type SymbolicShape = readonly (number | null)[];

export interface Node {
  readonly layer: Layer;
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Whether the layer was given one tensor rather than a list (call receives the same). */
  readonly singleInput: boolean;
}

let nextSymbolic = 0;

export class SymbolicTensor {
  readonly shape: SymbolicShape;
  readonly dtype: DType;
  /** The node that produced it (for an input, the input layer's node). */
  readonly node: Node;
  /** Which output of that node it is. */
  readonly outputIndex: number;
  readonly id: number;

  constructor(shape: SymbolicShape, dtype: DType, node: Node, outputIndex: number) {
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
    this.node = node;
    this.outputIndex = outputIndex;
    this.id = nextSymbolic++;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** `layer_name/index`, for messages. */
  get name(): string {
    return `${this.node.layer.name}/${this.outputIndex}`;
  }

  toString(): string {
    return `SymbolicTensor '${this.name}' shape [${this.shape.map((d) => d ?? 'null').join(', ')}] ${this.dtype}`;
  }
}

export function formatSymbolicShape(shape: SymbolicShape): string {
  return `[${shape.map((d) => d ?? 'null').join(', ')}]`;
}
