import type { Callback } from '../callback.js';
import { TerminateOnNaN } from '../callbacks/terminate-on-nan.js';
import type { Compiled } from './compile.js';

/**
 * fit's watch on the loss: one warning, at the first batch whose loss is NaN or ±Infinity,
 * naming the epoch, the batch and the likely fixes. Training goes on, as in Keras (whose fit
 * says nothing); a terminateOnNaN callback, which stops and says so itself, silences it.
 */
export function nonFiniteLossWarning(
  callbacks: readonly Callback[],
  compiled: Compiled,
  steps: number,
): (loss: number, epoch: number, step: number) => void {
  let warned = callbacks.some((c) => c instanceof TerminateOnNaN);
  return (loss, epoch, step) => {
    if (warned || Number.isFinite(loss)) return;
    warned = true;
    const lr = compiled.optimizer.learningRate;
    console.warn(
      `sinew: fit: the loss is ${loss} at epoch ${epoch + 1}, batch ${step + 1}${steps > 0 ? ` of ${steps}` : ''}; ` +
        'training goes on, but the weights it reaches are likely non-finite too. Likely fix: a ' +
        `lower learning rate${typeof lr === 'number' ? ` (now ${lr})` : ''} or clipnorm: 1 in ` +
        'the optimizer, or x and y free of NaN and Infinity; pass callbacks: ' +
        '[sn.callbacks.terminateOnNaN()] to stop there and keep the last weights whose loss was finite.',
    );
  };
}
