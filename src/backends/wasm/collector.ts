/**
 * Garbage collection on demand for the wasm backend's arena. V8 does not see the arena's
 * bytes, so during a training loop it rarely collects the small tensor objects whose blocks
 * could be reused; the arena asks for a collection itself when it is full.
 *
 * Under Node, `gc` comes from a V8 flag set at run time (--expose-gc), and `cleanupSome()`,
 * which runs pending finalizers synchronously right after the collection, from a fresh vm
 * context made after setting --harmony-weak-refs-with-cleanup-some (contexts made before the
 * flag, the main one included, lack it). The registry itself is always the main context's:
 * cleanupSome is borrowed from the vm context's prototype and called on it. A registry made
 * in the vm context would also schedule its own cleanup tasks in that context, and Node 20
 * aborts the process ("illegal access" from FreeEnvironment) when such a task is still due at
 * exit, since JavaScript may no longer run and the vm context has no environment to report
 * to; a main-context task at exit is dropped quietly. Where either tool is missing (a
 * browser, an engine without the flag) finalizers run at a later turn of the event loop, and
 * memory is reclaimed between training steps instead.
 */

/** `FinalizationRegistry.prototype.cleanupSome`, called with a registry as `this`. */
type CleanupSome = (this: FinalizationRegistry<unknown>) => void;

export interface Collector<T> {
  readonly registry: FinalizationRegistry<T>;
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
  cleanupSome: CleanupSome | undefined;
}

let tools: NodeTools | undefined;

function nodeTools(): NodeTools {
  if (tools) return tools;
  tools = { gc: undefined, cleanupSome: undefined };
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
    const cleanupSome = (R?.prototype as { cleanupSome?: unknown } | undefined)?.cleanupSome;
    if (typeof cleanupSome === 'function') {
      // Borrowed across contexts: check that this engine accepts a main-context registry.
      const borrowed = cleanupSome as CleanupSome;
      borrowed.call(new FinalizationRegistry(() => undefined));
      tools.cleanupSome = borrowed;
    }
  } catch {
    // No flags in this engine: the global registry and no explicit collections.
  }
  return tools;
}

/** A registry calling `free`, and a collect() that runs the collector if `gc` is allowed. */
export function collector<T>(free: (held: T) => void, gc: boolean): Collector<T> {
  const t = gc ? nodeTools() : { gc: undefined, cleanupSome: undefined };
  // Always the main context's registry (see the top of this file).
  const registry = new FinalizationRegistry<T>(free);
  const run = t.gc;
  const cleanupSome = t.cleanupSome;
  const synchronous = run !== undefined && cleanupSome !== undefined;
  return {
    registry,
    synchronous,
    collect(): void {
      if (!run) return;
      run();
      cleanupSome?.call(registry);
    },
  };
}
