import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';
import { closestOption, optionKeys } from '../src/validation.js';
import { BOGUS, CASES, tinyModel, x23 } from './options-cases.js';
import { NO_OPTIONS } from './options-none.js';

/**
 * Issue 11, "options are checked": every options object of the public API rejects an unknown
 * key with a ConfigError naming the function, the key and the accepted keys. The walker below
 * enumerates the public barrel at run time (every function and class of `sn` and of its
 * namespaces, and the methods of Layer, Model, Sequential, Dataset and CSVDataset); each one
 * must be either in CASES (called with valid arguments plus one unknown key) or in NO_OPTIONS
 * (with the reason it takes no options object). A new public function that is in neither
 * fails the test.
 */

/** Every function and class reachable from the barrel, by path ('layers.dense'), and methods. */
function publicCallables(): string[] {
  const out: string[] = [];
  const walk = (ns: object, prefix: string): void => {
    for (const key of Object.keys(ns).sort()) {
      const value = (ns as Record<string, unknown>)[key];
      if (typeof value === 'function') out.push(prefix + key);
      else if (isNamespace(value)) walk(value, `${prefix}${key}.`);
    }
  };
  walk(sn, '');
  for (const [name, cls] of [
    ['Layer', sn.Layer],
    ['Model', sn.Model],
    ['Sequential', sn.Sequential],
    ['Dataset', sn.data.Dataset],
    ['CSVDataset', sn.data.CSVDataset],
  ] as const) {
    for (const method of Object.getOwnPropertyNames(cls.prototype)) {
      const d = Object.getOwnPropertyDescriptor(cls.prototype, method)!;
      if (method !== 'constructor' && typeof d.value === 'function') out.push(`${name}#${method}`);
    }
  }
  return out;
}

/** A module namespace (sn.layers, sn.optimizers.schedules, ...), not a data object. */
/** A module namespace (`sn.layers`) or one of the two namespaces src/index.ts declares. */
function isNamespace(value: unknown): value is object {
  if (value === sn.callbacks || value === sn.serialization) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module'
  );
}

async function outcome(f: () => unknown): Promise<unknown> {
  try {
    await f();
    return undefined;
  } catch (e) {
    return e;
  }
}

test('the walker classifies every public function and class (a new one must be added)', () => {
  const found = publicCallables();
  assert.ok(found.length > 250, `the walker found only ${found.length} callables`);
  const unclassified = found.filter((p) => !(p in CASES) && !(p in NO_OPTIONS));
  assert.deepEqual(
    unclassified,
    [],
    'add each to CASES (it takes options) or NO_OPTIONS (with the reason it takes none)',
  );
  const both = found.filter((p) => p in CASES && p in NO_OPTIONS);
  assert.deepEqual(both, []);
  // The lists name nothing that is not public (a stale entry hides a rename).
  const all = new Set(found);
  const stale = [...Object.keys(CASES), ...Object.keys(NO_OPTIONS)].filter(
    (p) => !all.has(p) && !p.includes(' '),
  );
  assert.deepEqual(stale, []);
});

test('every options-taking public function rejects an unknown key with a ConfigError naming it', async () => {
  const failures: string[] = [];
  for (const [path, c] of Object.entries(CASES)) {
    const e = await outcome(() => c.call({ [BOGUS]: 1 }));
    const ok =
      e instanceof sn.ConfigError &&
      e.message.includes(`unknown option "${BOGUS}"; accepted options: `) &&
      e.message.startsWith(c.where);
    if (!ok) failures.push(`${path}: ${e instanceof Error ? e.message : String(e)}`);
    // The same call without the unknown key is valid, so the key alone caused the error.
    if (c.noValidRun === undefined) {
      const valid = await outcome(() => c.call({}));
      if (valid !== undefined) failures.push(`${path} (valid call): ${String(valid)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test("the issue's misspellings are rejected with a did-you-mean naming the camelCase key", () => {
  const l1 = sn.regularizers.l1(1e-3);
  const cases: [() => unknown, RegExp][] = [
    [
      () => sn.layers.dense({ units: 4, activityRegulariser: l1 } as never),
      /^Dense: unknown option "activityRegulariser"; accepted options: name, trainable, .*activityRegularizer.* Did you mean `activityRegularizer`\?$/,
    ],
    [
      () => sn.layers.dense({ units: 4, activity_regularizer: 'l1' } as never),
      /^Dense: unknown option "activity_regularizer";.* Did you mean `activityRegularizer`\?$/,
    ],
    [
      () => sn.layers.dense({ name: 'enc', units: 4, kernel_regularizer: 'l2' } as never),
      /^Dense 'enc': unknown option "kernel_regularizer";.* Did you mean `kernelRegularizer`\?$/,
    ],
    [
      () => sn.sum(sn.ones([2, 3]), 0, { keepdims: true } as never),
      /^sum: unknown option "keepdims"; accepted options: keepDims\. Did you mean `keepDims`\?$/,
    ],
    [() => sn.optimizers.adam({ lr: 0.1 } as never), /Did you mean `learningRate`\?$/],
    [
      () => tinyModel().compile({ optimizer: 'sgd', loss: 'mse', loss_weights: [1] } as never),
      /^compile: unknown option "loss_weights";.* Did you mean `lossWeights`\?$/,
    ],
  ];
  for (const [f, pattern] of cases) {
    assert.throws(f, (e: Error) => e instanceof sn.ConfigError && pattern.test(e.message));
  }
  // The Tensor method delegates to the op, and is checked the same way.
  assert.throws(
    () => sn.ones([2, 3]).sum(0, { keepdims: true } as never),
    (e: Error) => e instanceof sn.ConfigError && /Did you mean `keepDims`\?$/.test(e.message),
  );
  // Keepdims used to be dropped: the sum lost its axis. With keepDims the shape is [1, 3].
  assert.deepEqual(sn.sum(sn.ones([2, 3]), 0, { keepDims: true }).shape, [1, 3]);
});

test('fit rejects a misspelled option before training (it used to train with defaults)', async () => {
  const model = tinyModel();
  const before = model.getWeights().map((w) => w.arraySync());
  await assert.rejects(
    () => model.fit(x23(), sn.zeros([2, 2]), { epoch: 3, verbose: 0 } as never),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /^fit: unknown option "epoch";.* Did you mean `epochs`\?$/.test(e.message),
  );
  assert.deepEqual(
    model.getWeights().map((w) => w.arraySync()),
    before,
  );
});

test('closestOption: snake_case to camelCase, aliases, edit distance, nothing when far', () => {
  const keys = ['units', 'activityRegularizer', 'kernelRegularizer', 'useBias', 'learningRate'];
  // Hand-derived: one substitution (s→z); snake_case; case only; an alias; one transposition.
  assert.equal(closestOption('activityRegulariser', keys), 'activityRegularizer');
  assert.equal(closestOption('kernel_regularizer', keys), 'kernelRegularizer');
  assert.equal(closestOption('usebias', keys), 'useBias');
  assert.equal(closestOption('lr', keys), 'learningRate');
  assert.equal(closestOption('untis', keys), 'units');
  // 'color' is 5 edits from 'units' (more than a third of its length): no suggestion.
  assert.equal(closestOption('color', keys), undefined);
});

test('common layer options get value checks: received, expected and a fix', () => {
  const cases: [sn.layers.DenseOptions, RegExp][] = [
    [
      { units: 2, trainable: 'yes' as never },
      /^Dense 'dense\w*': trainable must be true or false, received "yes"\.$/,
    ],
    [{ units: 2, dtype: 'float16' as never }, /unknown dtype "float16"; expected one of float32/],
    [
      { units: 2, inputShape: 784 as never },
      /inputShape must be an array of sizes \(integers >= 0, or null for any\), received 784; e\.g\. inputShape: \[784\]$/,
    ],
    [
      { units: 2, batchInputShape: [null, 'a'] as never },
      /batchInputShape must be an array of sizes .*received \[null, "a"\]/,
    ],
  ];
  for (const [options, pattern] of cases) {
    assert.throws(
      () => sn.layers.dense(options),
      (e: Error) => e instanceof sn.ConfigError && pattern.test(e.message),
    );
  }
});

test('configs read from files stay lenient: unknown keys of a layer config are ignored', () => {
  // Keras and TF.js write keys sinew has no use for (see the Leniency section of src/io/index.ts).
  const layer = sn.layers.Dense.fromConfig({ units: 3, name: 'd', dynamic: false, autocast: true });
  assert.ok(layer instanceof sn.layers.Dense);
  assert.equal(layer.units, 3);
  const model = tinyModel();
  const artifacts = sn.io.toMemory(model, { onWarning: () => {} });
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
  const denseEntry = topology.config.layers.find(
    (l: { class_name: string }) => l.class_name === 'Dense',
  );
  Object.assign(denseEntry.config, { dynamic: false, autocast: true, some_future_key: 1 });
  const warnings = captureWarnings(() => {
    const loaded = sn.io.fromMemory({ ...artifacts, modelTopology: topology });
    // Read back: the same weights give the same outputs.
    assert.deepEqual(
      (loaded.predict(x23()) as sn.Tensor).arraySync(),
      (model.predict(x23()) as sn.Tensor).arraySync(),
    );
  });
  // Keys Keras writes are ignored quietly; any other key is ignored with one warning naming it.
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /key "someFutureKey" that sinew does not know; ignored/);
  assert.doesNotMatch(warnings[0]!, /dynamic|autocast/);
});

test('a misspelled key in a file is ignored with a warning that names it, never silently', () => {
  const artifacts = sn.io.toMemory(tinyModel(), { onWarning: () => {} });
  const clean = captureWarnings(() => sn.io.fromMemory(artifacts));
  assert.deepEqual(clean, []);
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
  const dense = topology.config.layers.find(
    (l: { class_name: string }) => l.class_name === 'Dense',
  );
  dense.config.actiwation = dense.config.activation;
  delete dense.config.activation;
  const warnings = captureWarnings(() =>
    sn.io.fromMemory({ ...artifacts, modelTopology: topology }),
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /"actiwation" \(did you mean `activation`\?\)/);
});

/** The console.warn lines `fn` prints. */
function captureWarnings(fn: () => unknown): string[] {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void lines.push(args.join(' '));
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return lines;
}

test('optionKeys: the key list of an interface must name each of its keys (compile time)', () => {
  interface Two {
    a?: number;
    b: string;
  }
  const keys = optionKeys<Two>()({ a: true, b: true });
  assert.deepEqual(keys, ['a', 'b']);
  // @ts-expect-error a key of Two is missing from its list
  optionKeys<Two>()({ a: true });
  // @ts-expect-error the list names a key Two does not have
  optionKeys<Two>()({ a: true, b: true, c: true });
});
