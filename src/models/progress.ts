import type { SingleBar } from 'cli-progress';
import { Callback, type Logs } from './callback.js';

/** Where progress goes: process.stdout by default; anything with `write` in tests. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressLoggerOptions {
  /** Default: process.stdout in Node.js; console.log in the browser. */
  stream?: ProgressStream;
  /** Draw a progress bar (verbose 1 only). Default: `stream.isTTY`. */
  isTTY?: boolean;
}

/**
 * A logged number as Keras prints it: 4 decimals, or 4-decimal scientific notation when
 * |v| <= 1e-3 (0 is written 0.0000).
 */
export function formatLogValue(value: number): string {
  if (value === 0 || Math.abs(value) > 1e-3 || !Number.isFinite(value)) return value.toFixed(4);
  return value.toExponential(4);
}

/** ' - loss: 0.0312 - val_loss: 0.0400' for the logs, in their order. */
export function formatLogs(logs: Logs | undefined): string {
  return Object.entries(logs ?? {})
    .filter(([key]) => key !== 'batch' && key !== 'size')
    .map(([key, value]) => ` - ${key}: ${formatLogValue(value)}`)
    .join('');
}

/** Seconds as Keras's ETA: '7s', '1:05', '1:01:05'. */
function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s >= 3600)
    return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

const BAR_WIDTH = 20;

/**
 * fit's progress output (fit adds it when verbose > 0). With verbose 1 on a terminal: a bar
 * per epoch (cli-progress) showing `Epoch 3/10`, step/steps, ETA, and the running logs (loss,
 * regularization_loss, metrics), cut at the terminal's width; at the end of the epoch it is
 * replaced by its full final line, with the epoch's time and validation logs. Otherwise (verbose 2, or output that is not a terminal) one line per
 * epoch:
 *
 *   Epoch 3/10 - 1.2s - loss: 0.0312 - regularization_loss: 0.0021 - val_loss: 0.0400
 *
 * Numbers as Keras prints them (formatLogValue). Safe in the browser (no `process`: lines go
 * to console.log).
 */
export class ProgressLogger extends Callback {
  readonly #stream: ProgressStream;
  readonly #isTTY: boolean;
  #bar: SingleBar | undefined;
  #SingleBar: typeof SingleBar | undefined;
  #epochStart = 0;
  #epoch = 0;
  #step = 0;
  /** The latest logs of the epoch (a batch's running values, then the epoch's). */
  #logs: Logs | undefined;

  constructor(options: ProgressLoggerOptions = {}) {
    super();
    const hasProcess = typeof process !== 'undefined' && process.stdout !== undefined;
    this.#stream =
      options.stream ??
      (hasProcess ? process.stdout : { write: (s: string) => console.log(s.replace(/\n$/, '')) });
    this.#isTTY = options.isTTY ?? this.#stream.isTTY === true;
  }

  get #useBar(): boolean {
    return this.params.verbose === 1 && this.#isTTY;
  }

  override async onTrainBegin(): Promise<void> {
    // Loaded only for a terminal, so a browser bundle never needs it.
    if (this.#useBar && this.#SingleBar === undefined) {
      this.#SingleBar = (await import('cli-progress')).SingleBar;
    }
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.#epochStart = now();
    this.#epoch = epoch;
    this.#step = 0;
    this.#logs = undefined;
    if (!this.#useBar || this.#SingleBar === undefined) return;
    this.close();
    const stream = this.#stream;
    this.#bar = new this.#SingleBar({
      // cli-progress draws only on a TTY; this wrapper says it is one when we decided so.
      stream: {
        isTTY: true,
        columns: stream.columns ?? 80,
        write: (s: string) => stream.write(s),
      } as unknown as NodeJS.WritableStream,
      format: (_options, params) =>
        this.#barLine(params.value, `ETA: ${formatEta(params.eta)}`, this.#logs),
      // The live line is cut at the terminal's width; the final one (close) is not.
      linewrap: true,
      clearOnComplete: true,
    });
    this.#bar.start(this.params.steps, 0);
    this.#unrefTimer();
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    this.#step = batch + 1;
    this.#logs = { ...logs };
    if (this.#bar === undefined) return;
    this.#bar.update(this.#step);
    this.#unrefTimer();
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.#bar !== undefined) {
      this.#logs = { ...logs };
      this.close();
    } else if (this.params.verbose > 0) {
      this.#stream.write(`${this.#epochLabel(epoch)} - ${this.#elapsed()}${formatLogs(logs)}\n`);
    }
  }

  override async onTrainEnd(): Promise<void> {
    this.close();
  }

  /**
   * Replaces a bar still drawing by its final line (the step reached, the time, the logs).
   * fit calls it through onTrainEnd; call it in `finally` if training can throw.
   */
  close(): void {
    if (this.#bar === undefined) return;
    this.#bar.stop(); // clears the live line
    this.#bar = undefined;
    this.#stream.write(this.#barLine(this.#step, this.#elapsed(), this.#logs) + '\n');
  }

  /** 'Epoch 3/10 [=======-------------] 7/20 - ETA: 2s - loss: 0.0312 ...' */
  #barLine(step: number, time: string, logs: Logs | undefined): string {
    const steps = this.params.steps;
    const done = steps > 0 ? Math.round((Math.min(step, steps) / steps) * BAR_WIDTH) : BAR_WIDTH;
    const bar = '='.repeat(done) + '-'.repeat(BAR_WIDTH - done);
    return `${this.#epochLabel(this.#epoch)} [${bar}] ${step}/${steps} - ${time}${formatLogs(logs)}`;
  }

  #elapsed(): string {
    return `${((now() - this.#epochStart) / 1000).toFixed(1)}s`;
  }

  #epochLabel(epoch: number): string {
    return `Epoch ${epoch + 1}/${this.params.epochs}`;
  }

  /** cli-progress redraws on a timer; unref it so a bar never keeps Node.js alive. */
  #unrefTimer(): void {
    (this.#bar as unknown as { timer?: { unref?: () => void } } | undefined)?.timer?.unref?.();
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
