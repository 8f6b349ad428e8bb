import { ConfigError, describe } from '../../errors.js';
import { checkOneOf } from '../../validation.js';
import type { Logs } from '../callback.js';

/**
 * What earlyStopping and reduceLROnPlateau share: the monitored quantity, the direction in
 * which it improves, and the warning printed when it is missing from the logs.
 */

export type MonitorMode = 'auto' | 'min' | 'max';

/** Metric names where larger is better; 'auto' mode maximizes a name containing one of them. */
const LARGER_IS_BETTER = ['acc', 'auc', 'precision', 'recall'];

/**
 * The direction of `mode` for `monitor`: 'auto' means 'max' for accuracy-like names
 * (containing acc, auc, precision or recall: 'val_accuracy', 'auc') and 'min' otherwise.
 */
export function resolveMode(monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return LARGER_IS_BETTER.some((s) => monitor.includes(s)) ? 'max' : 'min';
}

/** The `monitor` and `mode` options, checked: `monitor` defaults to 'val_loss', `mode` to 'auto'. */
export function checkMonitor(
  owner: string,
  options: Record<string, unknown>,
): { monitor: string; mode: 'min' | 'max' } {
  const monitor = options.monitor ?? 'val_loss';
  if (typeof monitor !== 'string' || monitor === '') {
    throw new ConfigError(
      `${owner}: monitor must be the name of a logged quantity, received ${describe(monitor)}; ` +
        `e.g. monitor: 'val_loss'.`,
    );
  }
  const modes: MonitorMode[] = ['auto', 'min', 'max'];
  const mode = checkOneOf(options.mode, owner, 'mode', modes, { fallback: 'auto' });
  return { monitor, mode: resolveMode(monitor, mode) };
}

/** The value no monitored quantity can be worse than: +Infinity for 'min', −Infinity for 'max'. */
export function worstValue(mode: 'min' | 'max'): number {
  return mode === 'min' ? Infinity : -Infinity;
}

/** The warning for a monitored quantity that is not in the logs, listing the ones that are. */
export function missingMonitor(owner: string, monitor: string, logs: Logs | undefined): string {
  const keys = Object.keys(logs ?? {});
  return (
    `${owner}: the monitored quantity '${monitor}' is not in the logs, so it is ignored; ` +
    `available: ${keys.length ? keys.join(', ') : '(none)'}` +
    (monitor.startsWith('val_')
      ? ' (val_ quantities need validationData or validationSplit).'
      : '.')
  );
}

/** The warnings a callback has already printed, so that each is printed once. */
export class WarnOnce {
  readonly #seen = new Set<string>();
  warn(key: string, message: string): void {
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    console.warn(message);
  }
  reset(): void {
    this.#seen.clear();
  }
}
