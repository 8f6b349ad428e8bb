import { ConfigError } from '../errors.js';
import { isPlainObject } from '../validation.js';

/**
 * Attribute tracking, as Keras 3 and PyTorch do it: the layers a subclass of sn.Layer or
 * sn.Model keeps in its own fields (`this.enc = sn.layers.dense(...)`), in arrays of them
 * (`this.blocks = [...]`) or in plain objects of them (`this.heads = { a, b }`), nested at
 * any depth, are its sublayers. The fields are read when they are needed (weights, losses,
 * layers, summary), not intercepted when set: a Proxy would break `#private` fields, and
 * a field may be reassigned at any time. A layer kept where sinew does not look (a Map, a
 * Set) is an error, not a layer that silently never trains.
 */

/** Base-class bookkeeping that holds no owned layers (graph nodes point at their layer). */
const BOOKKEEPING = new Set(['inboundNodes']);

/**
 * The layers held by `owner`'s own fields, each once, in field order (depth first inside
 * arrays and plain objects), `owner` itself left out. `isLayer` is passed in because this
 * file cannot import the Layer class (it is imported by it).
 */
export function fieldLayers<L extends { describeSelf(): string }>(
  owner: L,
  isLayer: (value: unknown) => value is L,
  describeOwner: () => string,
): L[] {
  const found: L[] = [];
  const hidden: { layer: L; path: string }[] = [];
  const seen = new Set<object>([owner]);
  const visit = (value: unknown, path: string, inHiddenContainer: boolean): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    if (isLayer(value)) {
      if (inHiddenContainer) hidden.push({ layer: value, path });
      else {
        seen.add(value);
        found.push(value);
      }
      return;
    }
    seen.add(value);
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`, inHiddenContainer));
    else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`, inHiddenContainer);
    } else if (value instanceof Map) {
      for (const [k, v] of value) visit(v, `${path}.get(${JSON.stringify(k) ?? '?'})`, true);
    } else if (value instanceof Set) {
      for (const v of value) visit(v, `${path} (a Set)`, true);
    }
  };
  for (const [key, value] of Object.entries(owner)) {
    if (!BOOKKEEPING.has(key)) visit(value, `this.${key}`, false);
  }
  const lost = hidden.filter((h) => !found.includes(h.layer));
  if (lost.length > 0) {
    const where = lost.map((h) => `${h.layer.describeSelf()} in ${h.path}`).join(', ');
    throw new ConfigError(
      `${describeOwner()} keeps layers in a Map or Set (${where}), where sinew does not look ` +
        'for them: their weights would never train, be penalised or be saved. Fix: keep ' +
        'them in a field, an array or a plain object instead (this.blocks = [a, b], ' +
        'this.heads = { a, b }).',
    );
  }
  return found;
}
