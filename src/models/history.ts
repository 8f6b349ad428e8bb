import type { JsonValue } from '../serialization.js';
import { setOwn } from '../validation.js';
import { Callback, badState, stateFields, type Logs } from './callback.js';

/** What fit returns: the logs of every epoch (`history.history.loss[3]`). */
export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      if (Object.hasOwn(this.history, key)) this.history[key]!.push(value);
      else setOwn(this.history, key, [value]);
    }
  }

  /** The epochs logged so far (a resumed fit returns the whole run's history). */
  override getState(): JsonValue {
    return { epoch: [...this.epoch], history: { ...this.history } };
  }

  override setState(state: JsonValue): void {
    const s = stateFields(state, 'History', []);
    const epochs = s.epoch;
    const history = s.history;
    const numbers = (v: unknown): v is number[] =>
      Array.isArray(v) && v.every((n) => typeof n === 'number');
    if (
      !numbers(epochs) ||
      typeof history !== 'object' ||
      history === null ||
      Array.isArray(history) ||
      !Object.values(history).every(numbers)
    ) {
      throw badState('History', '{ epoch: number[], history: { [name]: number[] } }', state);
    }
    this.epoch.splice(0, this.epoch.length, ...epochs);
    for (const key of Object.keys(this.history)) delete this.history[key];
    for (const [key, values] of Object.entries(history))
      setOwn(this.history, key, [...(values as number[])]);
  }
}
