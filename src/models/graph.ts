import { ConfigError, ShapeError } from '../errors.js';
import { InputLayer } from '../layers/input.js';
import type { CallOptions, Layer, LayerOutput } from '../layers/layer.js';
import { formatSymbolicShape, type Node, type SymbolicTensor } from '../layers/symbolic.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A functional graph: the nodes between some SymbolicTensor inputs and outputs, in an order
 * where every node comes after the nodes it reads from, and the layers they use.
 */
export class Graph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Nodes in execution order (input nodes included). */
  readonly nodes: readonly Node[];
  /** Every layer of the graph, each once, in execution order (input layers included). */
  readonly layers: readonly Layer[];

  constructor(
    inputs: readonly SymbolicTensor[],
    outputs: readonly SymbolicTensor[],
    /** The model, as named in messages: "Functional 'autoencoder'". */
    owner: string,
  ) {
    this.inputs = inputs;
    this.outputs = outputs;
    for (const x of inputs) {
      if (!(x.node.layer instanceof InputLayer)) {
        throw new ConfigError(
          `${owner}: every input must come from sn.input(...), but '${x.name}' is the output of ` +
            `${x.node.layer.describeSelf()}.`,
        );
      }
    }
    this.nodes = topologicalOrder(outputs);
    const inputNodes = new Set(inputs.map((x) => x.node));
    for (const node of this.nodes) {
      if (node.layer instanceof InputLayer && !inputNodes.has(node)) {
        throw new ConfigError(
          `${owner}: an output depends on input '${node.layer.name}', which is not in the model's inputs. ` +
            'Add it to `inputs`.',
        );
      }
    }
    // The input layers first, in the order of `inputs` (as Keras lists them), then the rest in
    // execution order.
    const unique = new Set<Layer>(inputs.map((x) => x.node.layer));
    for (const node of this.nodes) unique.add(node.layer);
    const layers = [...unique];
    const names = new Set<string>();
    for (const layer of layers) {
      if (names.has(layer.name)) {
        throw new ConfigError(
          `${owner}: two different layers are named '${layer.name}'; layer names must be unique within a model.`,
        );
      }
      names.add(layer.name);
    }
    this.layers = layers;
  }

  /** Runs the graph on real tensors (one per input, in order). */
  run(values: readonly Tensor[], options: CallOptions, owner: string): Tensor[] {
    if (values.length !== this.inputs.length) {
      throw new ConfigError(
        `${owner} has ${this.inputs.length} input(s) (${this.inputs.map((x) => x.node.layer.name).join(', ')}), ` +
          `received ${values.length} tensor(s). Pass one tensor per input, as an array in that order.`,
      );
    }
    const computed = new Map<SymbolicTensor, Tensor>();
    // Keras masks (Layer.computeMask): the mask of each computed tensor, when it has one.
    const masks = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((x, i) => {
      const value = values[i]!;
      const ok =
        value.rank === x.rank && x.shape.every((d, j) => d === null || d === value.shape[j]);
      if (!ok) {
        const reader = this.nodes.find((n) => n.inputs.includes(x))?.layer;
        throw new ShapeError(
          `${owner} input '${x.node.layer.name}'${reader ? ` (read by ${reader.describeSelf()})` : ''} ` +
            `expects shape ${formatSymbolicShape(x.shape)}, received ${formatShape(value.shape)}. ` +
            "Reshape the data or change the input's shape.",
        );
      }
      computed.set(x, value);
    });
    const rest: CallOptions = { ...options };
    delete rest.mask;
    for (const node of this.nodes) {
      if (node.layer instanceof InputLayer) continue;
      const args = node.inputs.map((x) => computed.get(x)!);
      const layerInput = node.singleInput ? args[0]! : args;
      const mask = masks.get(node.inputs[0]!);
      const out: LayerOutput = node.layer.apply(layerInput, mask ? { ...rest, mask } : rest);
      const list = Array.isArray(out) ? out : [out];
      node.outputs.forEach((x, i) => computed.set(x, list[i]!));
      const outMask = node.layer.computeMask(layerInput, mask);
      if (outMask) masks.set(node.outputs[0]!, outMask);
    }
    const outputs = this.outputs.map((x) => computed.get(x)!);
    this.outputs.forEach((x, i) => {
      const mask = masks.get(x);
      if (mask) OUTPUT_MASKS.set(outputs[i]!, mask);
    });
    return outputs;
  }
}

/**
 * The Keras mask carried by each model output that has one, keyed by the output tensor itself
 * (Keras's `_keras_mask`), so the loss reads the mask of exactly the prediction it scores.
 */
const OUTPUT_MASKS = new WeakMap<Tensor, Tensor>();

/**
 * The mask of a model output (undefined when it has none, e.g. the output of a subclassed
 * model); the loss of a masked output counts only its unmasked steps (training/batch.ts).
 */
export function outputMaskOf(output: Tensor): Tensor | undefined {
  return OUTPUT_MASKS.get(output);
}

/** Iterative depth-first post-order from the outputs: each node after all nodes it reads. */
function topologicalOrder(outputs: readonly SymbolicTensor[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  for (const output of outputs) {
    if (seen.has(output.node)) continue;
    seen.add(output.node);
    const stack: { node: Node; next: number }[] = [{ node: output.node, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.inputs.length) {
        const child = top.node.inputs[top.next++]!.node;
        if (!seen.has(child)) {
          seen.add(child);
          stack.push({ node: child, next: 0 });
        }
      } else {
        stack.pop();
        order.push(top.node);
      }
    }
  }
  return order;
}
