import { ConfigError } from '../errors.js';

/**
 * The streaming steps behind the Dataset methods, as async generators over a source
 * iterator. Each pulls from its source only when it is pulled itself, so a pipeline holds a
 * few elements at a time (a batch, a shuffle buffer, the prefetched ones), never the stream;
 * closing one (a `break`, `return()`) closes its sources, so a file being read is closed.
 */

export type Stream<T> = AsyncGenerator<T, void, undefined>;

export async function* mapStream<T, U>(
  source: Stream<T>,
  fn: (value: T) => U | Promise<U>,
): Stream<U> {
  for await (const value of source) yield await fn(value);
}

export async function* filterStream<T>(
  source: Stream<T>,
  predicate: (value: T) => boolean | Promise<boolean>,
): Stream<T> {
  for await (const value of source) if (await predicate(value)) yield value;
}

/** The first `count` elements (all of them when count < 0, as TF.js). */
export async function* takeStream<T>(source: Stream<T>, count: number): Stream<T> {
  if (count === 0) {
    await source.return();
    return;
  }
  let taken = 0;
  for await (const value of source) {
    yield value;
    if (++taken === count) break;
  }
}

/** Every element after the first `count` (none when count < 0, as TF.js). */
export async function* skipStream<T>(source: Stream<T>, count: number): Stream<T> {
  let seen = 0;
  for await (const value of source) {
    if (count < 0) break;
    if (seen++ >= count) yield value;
  }
}

/** `open()` again and again: `count` passes, or forever when count is undefined or < 0. */
export async function* repeatStream<T>(
  open: () => Stream<T>,
  count: number | undefined,
): Stream<T> {
  for (let pass = 0; count === undefined || count < 0 || pass < count; pass++) {
    let empty = true;
    for await (const value of open()) {
      empty = false;
      yield value;
    }
    // An empty dataset repeated forever would spin without end.
    if (empty && (count === undefined || count < 0)) return;
  }
}

/**
 * Asks the source for up to `bufferSize` elements ahead of the consumer (an async generator
 * queues the requests), so that reading and parsing overlap the training step.
 */
export async function* prefetchStream<T>(source: Stream<T>, bufferSize: number): Stream<T> {
  const queue: Promise<IteratorResult<T, void>>[] = [];
  const fill = () => {
    while (queue.length < bufferSize) {
      const next = source.next();
      // A failure surfaces when its turn comes (below), not as an unhandled rejection.
      next.catch(() => undefined);
      queue.push(next);
    }
  };
  try {
    for (;;) {
      fill();
      const result = await queue.shift()!;
      if (result.done) return;
      fill(); // keep bufferSize requests ahead while the consumer works on this one
      yield result.value;
    }
  } finally {
    await source.return();
  }
}

/** Elements of several streams side by side, until the shortest ends (as TF.js's zip). */
export async function* zipStream(sources: readonly Stream<unknown>[]): Stream<unknown[]> {
  try {
    for (;;) {
      const results = await Promise.all(sources.map((s) => s.next()));
      if (results.some((r) => r.done)) return;
      yield results.map((r) => r.value);
    }
  } finally {
    await Promise.all(sources.map((s) => s.return()));
  }
}

/** A user's iterator (sync or async), as a Stream; a bad one is a ConfigError naming it. */
export async function* fromIterator<T>(
  iterator: Iterator<T> | AsyncIterator<T>,
  where: string,
): Stream<T> {
  if (iterator === null || typeof iterator !== 'object' || typeof iterator.next !== 'function') {
    throw new ConfigError(
      `${where}: the generator function must return an iterator (an object with next()), ` +
        `received ${typeof iterator === 'object' ? String(iterator) : typeof iterator}. Fix: pass ` +
        'a generator function, e.g. sn.data.generator(function* () { yield { xs, ys }; }).',
    );
  }
  let finished = false;
  try {
    for (;;) {
      const result = await iterator.next();
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
