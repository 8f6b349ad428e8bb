import type { Tensor } from './tensor.js';
import type { DataId, DataStore } from './store.js';

/**
 * Step scopes: early release of intermediates (backends with their own memory, such as wasm,
 * otherwise wait for the garbage collector to free them). Scopes are opened by a training
 * step of fit/trainOnBatch, each batch of evaluate/predict, and each call of
 * valueAndGrads/grads.
 *
 * Every Tensor object counts as one holder of its handle (`dataId`), as does a Variable for
 * its current handle (assign moves the count). While a scope is open (withScope), every
 * Tensor made is recorded. When it closes, each recorded tensor the caller does not keep, and
 * that was not marked with keep(), is marked released (reading it throws a SinewError naming
 * the scope) and drops its count; a handle whose count reaches zero goes back to its store at
 * once. A handle that a kept tensor, a tensor made outside the scope, or a Variable still uses
 * keeps a count above zero and stays: counts are never lowered when a tensor is garbage
 * collected, so they only err towards keeping memory (the backend's finalizer frees it later,
 * as without scopes).
 *
 * Scopes are synchronous and do not nest: an inner withScope records into the outer one, and
 * the outer one decides.
 */

interface Scope {
  /** Named in the error a released tensor throws: 'a training step', 'valueAndGrads'. */
  readonly where: string;
  readonly tensors: Tensor[];
  /** Handles whose count fell to zero while the scope was open (a Variable's old values). */
  readonly orphans: [DataId, DataStore][];
}

const counts = new WeakMap<DataId, number>();
/** Handles given back to their store, so that none is given back twice. */
const given = new WeakSet<DataId>();
let current: Scope | undefined;
/** Tensors a scope recorded and kept (state of the step: optimizer slots, call losses). */
const keptByScope = new WeakSet<Tensor>();
/** Tensors marked with keep(): no scope releases them. */
const marked = new WeakSet<Tensor>();

/**
 * Exempts `t` from release by the scope it is made in (fit's step, valueAndGrads, ...), so it
 * can be read after the scope ends; returns `t`. Needed only for a tensor made inside a scope
 * and stored somewhere else (a field, an outer variable); what a scope returns is kept anyway.
 *
 *   sn.valueAndGrads(() => { codes = sn.keep(encoder.apply(x)); return loss(codes); });
 */
export function keep<T extends Tensor>(t: T): T {
  marked.add(t);
  return t;
}

/** Internal (Tensor constructor, Variable.assign): one more holder of `dataId`. */
export function holdData(t: Tensor | undefined, dataId: DataId): void {
  counts.set(dataId, (counts.get(dataId) ?? 0) + 1);
  if (t && current) current.tensors.push(t);
}

/** Internal (Variable.assign): a holder of `dataId` moved to other values. */
export function dropData(dataId: DataId, store: DataStore): void {
  const n = (counts.get(dataId) ?? 1) - 1;
  counts.set(dataId, n);
  if (n <= 0 && current) current.orphans.push([dataId, store]);
}

function giveBack(dataId: DataId, store: DataStore): void {
  if ((counts.get(dataId) ?? 0) > 0 || given.has(dataId)) return;
  given.add(dataId);
  store.release(dataId);
}

/**
 * Runs `fn`; then releases every tensor made during it except those `keeps` names (it is
 * called after fn, with the result, so it sees the state fn left behind) and those marked with
 * keep(). Releasing a tensor frees its values once no other tensor uses them. If fn throws
 * nothing is released. `where` names the scope in the error a released tensor throws.
 */
export function withScope<T>(
  where: string,
  fn: () => T,
  keeps: (result: T) => (t: Tensor) => boolean,
): T {
  if (current) return fn();
  const scope: Scope = { where, tensors: [], orphans: [] };
  current = scope;
  let result: T;
  let kept: (t: Tensor) => boolean;
  try {
    result = fn();
    kept = keeps(result);
  } finally {
    current = undefined;
  }
  for (const t of scope.tensors) {
    if (marked.has(t) || kept(t)) keptByScope.add(t);
    else release(t, where);
  }
  for (const [dataId, store] of scope.orphans) giveBack(dataId, store);
  return result;
}

/**
 * Releases tensors that an earlier scope kept as state and that the state no longer holds
 * (an optimizer slot replaced since). Tensors no scope kept are left alone.
 */
export function releaseStale(tensors: Iterable<Tensor>): void {
  for (const t of tensors) if (keptByScope.has(t)) release(t, 'a training step');
}

function release(t: Tensor, where: string): void {
  const released = t.releaseData(where);
  if (!released) return;
  const [dataId, store] = released;
  counts.set(dataId, (counts.get(dataId) ?? 1) - 1);
  giveBack(dataId, store);
}
