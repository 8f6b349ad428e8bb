/**
 * Garbage collection on demand for the wasm backend's arena. V8 does not see the arena's
 * bytes, so during a training loop it rarely collects the small tensor objects whose blocks
 * could be reused; the arena asks for a collection itself when it is full.
 *
 * Under Node, `gc` comes from a V8 flag set at run time (--expose-gc), and the
 * FinalizationRegistry comes from a fresh vm context made after setting
 * --harmony-weak-refs-with-cleanup-some, whose `cleanupSome()` runs pending finalizers
 * synchronously, right after the collection. Where either is missing (a browser, an engine
 * without the flag) the registry is the global one: finalizers then run at a later turn of
 * the event loop, and memory is reclaimed between training steps instead.
 */

interface CleanupRegistry<T> extends FinalizationRegistry<T> {
  cleanupSome?(): void;
}

export interface Collector<T> {
  readonly registry: CleanupRegistry<T>;
  /** collect() frees unreachable blocks before it returns. */
  readonly synchronous: boolean;
  /**
   * A full collection, then the finalizers it made due. (V8's `gc({ type: 'minor' })` is
   * cheaper but, measured on Node 20, leaves cleanupSome() nothing to run: not used.)
   */
  collect(): void;
}

type GcFunction = () => void;

interface NodeTools {
  gc: GcFunction | undefined;
  Registry: typeof FinalizationRegistry | undefined;
}

let tools: NodeTools | undefined;

function nodeTools(): NodeTools {
  if (tools) return tools;
  tools = { gc: undefined, Registry: undefined };
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') {
    return tools;
  }
  try {
    const v8 = process.getBuiltinModule('node:v8');
    const vm = process.getBuiltinModule('node:vm');
    const g = globalThis as { gc?: GcFunction };
    if (typeof g.gc !== 'function') v8.setFlagsFromString('--expose-gc');
    v8.setFlagsFromString('--harmony-weak-refs-with-cleanup-some');
    const [gc, Registry] = vm.runInNewContext('[gc, FinalizationRegistry]') as [unknown, unknown];
    tools.gc =
      typeof g.gc === 'function' ? g.gc : typeof gc === 'function' ? (gc as GcFunction) : undefined;
    const R = Registry as typeof FinalizationRegistry | undefined;
    if (R && typeof (R.prototype as CleanupRegistry<unknown>).cleanupSome === 'function') {
      tools.Registry = R;
    }
  } catch {
    // No flags in this engine: the global registry and no explicit collections.
  }
  return tools;
}

/** A registry calling `free`, and a collect() that runs the collector if `gc` is allowed. */
export function collector<T>(free: (held: T) => void, gc: boolean): Collector<T> {
  const t = gc ? nodeTools() : { gc: undefined, Registry: undefined };
  const Registry = t.Registry ?? FinalizationRegistry;
  const registry: CleanupRegistry<T> = new Registry<T>(free);
  const run = t.gc;
  const synchronous = run !== undefined && typeof registry.cleanupSome === 'function';
  return {
    registry,
    synchronous,
    collect(): void {
      if (!run) return;
      run();
      registry.cleanupSome?.();
    },
  };
}
