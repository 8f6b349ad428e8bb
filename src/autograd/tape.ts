import { SinewError } from '../errors.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';

/**
 * The tape. While a gradient computation is open (valueAndGrads, grad, grads), every op whose
 * inputs depend on a watched tensor appends a node: its inputs, its outputs and a function
 * that maps the gradients of the outputs to the gradients of the inputs. Nodes are appended
 * in execution order, which is already a topological order, so backward is one loop over the
 * tape in reverse: no recursion, so a chain of any length backpropagates. The tape knows no
 * op by name; ops/ supplies each gradient function.
 */

/**
 * Gradients of an op's inputs given the gradients of its outputs (undefined: no gradient).
 * `needed[i]` says whether input i leads to anything being differentiated; a gradient
 * function may skip work for inputs that are not needed (a matmul skips the input batch's).
 */
export type GradientFn = (
  dys: readonly Tensor[],
  needed: readonly boolean[],
) => readonly (Tensor | undefined)[];

interface TapeNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly gradient: GradientFn;
}

export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Tensors that depend on a watched tensor. */
  readonly #tracked = new Set<Tensor>();
  /** Trainable variables used so far, in order of first use (when watching them all). */
  readonly touched = new Set<Variable>();
  readonly #watchTrainable: boolean;

  constructor(watchTrainable: boolean) {
    this.#watchTrainable = watchTrainable;
  }

  watch(t: Tensor): void {
    this.#tracked.add(t);
  }

  isTracked(t: Tensor): boolean {
    if (this.#tracked.has(t)) return true;
    if (this.#watchTrainable && t instanceof Variable && t.trainable) {
      this.#tracked.add(t);
      this.touched.add(t);
      return true;
    }
    return false;
  }
}

let current: Tape | undefined;
let paused = 0;

/** True when an op's gradient would be recorded right now. */
export function isRecording(): boolean {
  return current !== undefined && paused === 0;
}

/** Records one op on the open tape, if any of its inputs is watched. Called by ops/. */
export function record(
  op: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  gradient: GradientFn,
): void {
  const tape = current;
  if (!tape || paused > 0) return;
  let any = false;
  for (const x of inputs) if (tape.isTracked(x)) any = true;
  if (!any) return;
  for (const y of outputs) tape.watch(y);
  tape.nodes.push({ op, inputs, outputs, gradient });
}

/** Runs `fn` with a fresh tape open, restoring the previous one afterwards. */
export function withTape<T>(tape: Tape, fn: () => T): T {
  const previous = current;
  const previousPaused = paused;
  current = tape;
  paused = 0;
  try {
    return fn();
  } finally {
    current = previous;
    paused = previousPaused;
  }
}

/** Runs `fn` without recording anything on the tape (as torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

/**
 * Walks the tape backwards from `y` (whose gradient is `dy`) and returns the gradient of
 * every tensor on a path to it. `add` sums gradients where a tensor was used more than once;
 * `zerosLike` fills the gradient of an output that nothing downstream used.
 */
export function backward(
  tape: Tape,
  y: Tensor,
  dy: Tensor,
  add: (a: Tensor, b: Tensor) => Tensor,
  zerosLike: (t: Tensor) => Tensor,
): Map<Tensor, Tensor> {
  const grads = new Map<Tensor, Tensor>([[y, dy]]);
  noGrad(() => {
    for (let n = tape.nodes.length - 1; n >= 0; n--) {
      const node = tape.nodes[n]!;
      if (!node.outputs.some((o) => grads.has(o))) continue;
      const dys = node.outputs.map((o) => grads.get(o) ?? zerosLike(o));
      const needed = node.inputs.map((x) => tape.isTracked(x));
      const dxs = node.gradient(dys, needed);
      node.inputs.forEach((x, i) => {
        const dx = dxs[i];
        if (dx === undefined || !tape.isTracked(x)) return;
        if (!shapesEqual(dx.shape, x.shape)) {
          throw new SinewError(
            `Internal error in the gradient of '${node.op}': input ${i} has shape ${formatShape(x.shape)} ` +
              `but its gradient has shape ${formatShape(dx.shape)}. Please report this.`,
          );
        }
        const previous = grads.get(x);
        grads.set(x, previous === undefined ? dx : add(previous, dx));
      });
    }
  });
  return grads;
}
