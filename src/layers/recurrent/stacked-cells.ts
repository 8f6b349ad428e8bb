import { ConfigError, describe } from '../../errors.js';
import { withoutNulls, type ConfigDict } from '../../serialization.js';
import type { Tensor } from '../../tensor/tensor.js';
import { optionKeys, pickOptions } from '../../validation.js';
import {
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  LAYER_OPTION_KEY_SET,
} from '../layer.js';
import type { SymbolicShape } from '../symbolic.js';
import { cellStateSizes, deserializeLayer, serializeLayer } from './rnn.js';

export interface StackedRNNCellsOptions extends LayerOptions {
  /** The cells, first to last: each step feeds the output of one cell to the next. */
  cells: readonly Layer[];
}
export const STACKED_RNN_CELLS_OPTION_KEYS = optionKeys<StackedRNNCellsOptions>()({
  ...LAYER_OPTION_KEY_SET,
  cells: true,
});

/**
 * Several cells as one (Keras's StackedRNNCells): at each step the input goes through the
 * first cell, its output through the second, and so on; the states are every cell's states
 * in order. Use it as the cell of sn.layers.rnn for a deep recurrent layer in one loop.
 *
 *   sn.layers.rnn({ cell: sn.layers.stackedRNNCells({ cells: [lstmCell({ units: 8 }), lstmCell({ units: 4 })] }) })
 */
export class StackedRNNCells extends Layer {
  static override readonly className: string = 'StackedRNNCells';
  static override readonly optionKeys: readonly string[] = STACKED_RNN_CELLS_OPTION_KEYS;
  readonly cells: readonly Layer[];

  constructor(options: StackedRNNCellsOptions) {
    super(options);
    const cells: unknown = options?.cells;
    if (!Array.isArray(cells) || cells.length === 0 || !cells.every((c) => c instanceof Layer)) {
      throw new ConfigError(
        `${this.describeSelf()}: cells must be a non-empty list of cells, received ${describe(cells)}; e.g. cells: [sn.layers.lstmCell({ units: 8 })].`,
      );
    }
    this.cells = (cells as Layer[]).slice();
    for (const c of this.cells) cellStateSizes(c, this.describeSelf());
  }

  override get sublayers(): readonly Layer[] {
    return this.cells;
  }

  get stateSize(): number[] {
    return this.cells.flatMap((c) => cellStateSizes(c, this.describeSelf()));
  }

  get outputSize(): number {
    const last = this.cells[this.cells.length - 1]!;
    const size = (last as { outputSize?: unknown }).outputSize;
    return typeof size === 'number' ? size : cellStateSizes(last, this.describeSelf())[0]!;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    let shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    for (const cell of this.cells) {
      if (!cell.built) {
        cell.build(shape);
        cell.built = true;
      }
      const size = (cell as { outputSize?: unknown }).outputSize;
      shape = [
        null,
        typeof size === 'number' ? size : cellStateSizes(cell, this.describeSelf())[0]!,
      ];
    }
  }

  call(inputs: LayerInput, options: CallOptions): Tensor[] {
    const [x, ...states] = Array.isArray(inputs) ? (inputs as Tensor[]) : [inputs as Tensor];
    let y = x!;
    let at = 0;
    const next: Tensor[] = [];
    for (const cell of this.cells) {
      const n = cellStateSizes(cell, this.describeSelf()).length;
      const out = cell.apply([y, ...states.slice(at, at + n)], {
        training: options.training === true,
      });
      const list = Array.isArray(out) ? out : [out];
      y = list[0]!;
      next.push(...list.slice(1));
      at += n;
    }
    return [y, ...next];
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const batch = shape[0] ?? null;
    return [[batch, this.outputSize], ...this.stateSize.map((s) => [batch, s])];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), cells: this.cells.map((c) => serializeLayer(c)) };
  }

  static override fromConfig(config: ConfigDict): StackedRNNCells {
    const { cells, ...rest } = pickOptions(withoutNulls(config), STACKED_RNN_CELLS_OPTION_KEYS);
    const list = Array.isArray(cells) ? cells : [];
    return new StackedRNNCells({
      ...(rest as LayerOptions),
      cells: list.map((c) => deserializeLayer(c, 'StackedRNNCells')),
    });
  }
}
