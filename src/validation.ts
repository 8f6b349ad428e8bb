import { ConfigError, describe } from './errors.js';
import { printable } from './printable.js';

/**
 * Checks of user arguments and options, shared by every family (regularizers, constraints,
 * initializers, optimizers, callbacks, losses, ...). Each throws a ConfigError that names the
 * object (`where`), the argument, the value received and, when given, an example of a fix:
 *
 *   l2: coefficient l2 must be a finite number >= 0, received "0.01" (a string); pass a number, e.g. sn.regularizers.l2(0.01)
 *
 * A message that ends in example code has no final period.
 */

/** `describe(value)`, plus its type when it is not a number: `"0.01" (a string)`. */
export function describeTyped(value: unknown): string {
  if (typeof value === 'number') return describe(value);
  return `${describe(value)} (a ${value === null ? 'null' : typeof value})`;
}

/** `${where}: ${arg} must be ${expected}, received ${received}` and the fix, as a ConfigError. */
function mustBe(
  where: string,
  arg: string,
  expected: string,
  received: string,
  fix?: string,
): ConfigError {
  const end = fix === undefined ? '.' : `; ${fix}`;
  return new ConfigError(`${where}: ${arg} must be ${expected}, received ${received}${end}`);
}

/** An object literal (or Object.create(null)), not an array, class instance or tensor. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Sets `record[key]` as an own property, for records keyed by names users choose (metric and
 * output names in logs): a plain assignment of '__proto__' would replace the record's
 * prototype instead of adding the key, and a read of 'toString' finds Object.prototype's.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

// ---------------------------------------------------------------------------------------
// Option keys: one mechanism for every options object of the public API
//
// Each options interface has its key list right beside it, written with optionKeys so that
// the compiler keeps the two in step:
//
//   export interface FitOptions { epochs?: number; batchSize?: number }
//   export const FIT_OPTION_KEYS = optionKeys<FitOptions>()({ epochs: true, batchSize: true });
//
// A field added to FitOptions but not to FIT_OPTION_KEYS is a compile error (property
// missing); a key in the list that the interface lacks is one too (excess property). The
// function taking the options then calls
//
//   const o = checkOptionKeys(options, 'fit', FIT_OPTION_KEYS);
//
// which rejects an unknown key with a ConfigError naming the function, the key, the
// accepted keys and the closest one: `Dense: unknown option "activityRegulariser"; accepted
// options: name, trainable, ... Did you mean `activityRegularizer`?`. A Keras snake_case
// spelling (`activity_regularizer`) or another case (`keepdims`) gets its camelCase name.
//
// Interfaces that extend another spread its key set: `{ ...LAYER_OPTION_KEY_SET, units: true }`
// (spread keys are not excess-checked, so spread only the set of an interface you extend).
// Configs read from files are NOT checked this way: they go through pickOptions, which drops
// the keys a class does not know (see the "Leniency" section of src/io/index.ts).
//
// Where the lists live (add a new option to its interface; the compiler then names the list):
//   - layers: LAYER_OPTION_KEY_SET (layers/layer.ts) for the options every layer shares, and
//     each built-in layer's `static optionKeys` (DENSE_OPTION_KEYS, ...), which the Layer
//     constructor checks and fromConfig uses;
//   - optimizers: OPTIMIZER_OPTION_KEY_SET (optimizers/optimizer.ts) spread into each optimizer's;
//   - losses and metrics: LOSS_OPTION_KEY_SET, METRIC_OPTION_KEY_SET (losses/loss.ts,
//     metrics/metric.ts); model methods: COMPILE_, FIT_, EVALUATE_, PREDICT_OPTION_KEYS, ...
//     (models/training/, FIT_DATASET_OPTION_KEYS in fit-dataset.ts); ops: the `keys`
//     argument of checkOptions (ops/op.ts);
//   - data and io: CSV_CONFIG_KEYS and COLUMN_CONFIG_KEYS (data/csv.ts), SHUFFLE_OPTION_KEYS
//     (data/dataset.ts); TO_MEMORY_OPTION_KEY_SET spread into SAVE_OPTION_KEYS (io/files.ts);
//   - test/options.test.ts walks the public barrel and fails on a public function that is
//     neither in its CASES (test/options-cases.ts) nor in NO_OPTIONS (test/options-none.ts).

/** Every key of T (optional ones too), each mapped to `true`: the checked key list of T. */
export type OptionKeySet<T> = { readonly [K in keyof T]-?: true };

/**
 * The key list of the options interface T, checked at compile time against T in both
 * directions: `optionKeys<DenseOptions>()({ units: true, ... })`. (Curried so T is given and
 * the literal is still checked for excess keys.)
 */
export function optionKeys<T>(): (keys: OptionKeySet<T>) => readonly (keyof T & string)[] {
  return (keys) => Object.keys(keys) as (keyof T & string)[];
}

/** The first key of `options` that is not in `allowed`, if any. */
export function unknownOption(
  options: Record<string, unknown>,
  allowed: readonly string[],
): string | undefined {
  return Object.keys(options).find((key) => !allowed.includes(key));
}

/** Spellings from Keras / PyTorch that edit distance alone would not find. */
const ALIASES: Readonly<Record<string, string>> = { lr: 'learningRate', dim: 'axis' };

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The accepted key a misspelled `key` most likely meant: its camelCase form (Keras's
 * `kernel_regularizer` → `kernelRegularizer`), a known alias (`lr` → `learningRate`), or the
 * closest key by edit distance ignoring case (`keepdims` → `keepDims`, `activityRegulariser`
 * → `activityRegularizer`) if it is within a third of the key's length.
 */
export function closestOption(key: string, allowed: readonly string[]): string | undefined {
  const camel = key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  for (const candidate of [camel, ALIASES[key]]) {
    if (candidate !== undefined && allowed.includes(candidate)) return candidate;
  }
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const option of allowed) {
    const distance = editDistance(camel.toLowerCase(), option.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [option, distance];
  }
  return best;
}

/** The ConfigError for an unknown option: the key, the closest accepted one, the whole list. */
export function unknownOptionError(
  where: string,
  key: string,
  allowed: readonly string[],
): ConfigError {
  const closest = closestOption(key, allowed);
  return new ConfigError(
    `${where}: unknown option ${describe(key)}; accepted options: ${allowed.join(', ') || '(none)'}.` +
      (closest === undefined ? '' : ` Did you mean \`${closest}\`?`),
  );
}

/**
 * `options` as a record if it is a plain object whose keys are all in `allowed` (a typo such
 * as `lr` would otherwise be ignored); undefined gives `{}`. `allowed` is a list made with
 * optionKeys (see above). `example` shows the fix when something else (a number, an array)
 * is passed.
 */
export function checkOptionKeys(
  options: unknown,
  where: string,
  allowed: readonly string[],
  example?: string,
): Record<string, unknown> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    throw new ConfigError(
      example === undefined
        ? `${where}: expected an options object { ${allowed.join(', ')} }, received ${describe(options)}.`
        : `${where}: expected an options object, received ${describe(options)}; write it as ${example}`,
    );
  }
  const key = unknownOption(options, allowed);
  if (key !== undefined) throw unknownOptionError(where, key, allowed);
  return options;
}

/**
 * Keys that Keras and TensorFlow.js write in configs and that sinew ignores on purpose (the
 * "Leniency" section of src/io/index.ts lists where each comes from).
 */
const KNOWN_IGNORED_KEYS: ReadonlySet<string> = new Set([
  'dataFormat',
  'sparse',
  'ragged',
  'loraRank',
  'synchronized',
  'axis',
  'ignoreClass',
  'reduction',
  'dtype',
  'dynamic',
  'autocast',
]);

/**
 * The lenient twin of checkOptionKeys, for configs read from files (TF.js and Keras write
 * keys sinew does not use): a copy of `config` with only the `allowed` keys. A dropped key that
 * is not one of the known ones above (a misspelled `actiwation` in a hand-edited file) is
 * ignored with one warning line naming it, never silently.
 */
export function pickOptions<T extends Record<string, unknown>>(
  config: T,
  allowed: readonly string[],
): T {
  const unknown = Object.keys(config).filter(
    (k) => !allowed.includes(k) && !KNOWN_IGNORED_KEYS.has(k),
  );
  if (unknown.length > 0) {
    const hints = unknown.map((k) => {
      const near = closestOption(k, allowed);
      const key = `"${printable(k)}"`;
      return near === undefined ? key : `${key} (did you mean \`${near}\`?)`;
    });
    console.warn(
      `sinew: a config read from a file has key${unknown.length > 1 ? 's' : ''} ` +
        `${hints.join(', ')} that sinew does not know; ignored. Known keys: ${allowed.join(', ')}.`,
    );
  }
  return Object.fromEntries(Object.entries(config).filter(([k]) => allowed.includes(k))) as T;
}

/** The range a number option must lie in, and what to do when it is left out. */
export interface NumberRule {
  /** Lower bound (inclusive unless `minExclusive`). */
  min?: number;
  minExclusive?: boolean;
  /** Upper bound (inclusive unless `maxExclusive`). */
  max?: number;
  maxExclusive?: boolean;
  /** Whole numbers only. */
  integer?: boolean;
  /** The value when the option is undefined (left out). */
  fallback?: number;
  /** The fix shown in the error: `pass a number, e.g. ${example}`; default `${arg}: ${fallback}`. */
  example?: string;
}

/** 'a finite number in [0, 1)', 'an integer >= 0', 'a finite number > 0', ... */
function rangeText(r: NumberRule): string {
  const kind = r.integer ? 'an integer' : 'a finite number';
  const lower = r.minExclusive ? '(' : '[';
  const upper = r.maxExclusive ? ')' : ']';
  if (r.min !== undefined && r.max !== undefined)
    return `${kind} in ${lower}${r.min}, ${r.max}${upper}`;
  if (r.min !== undefined) return `${kind} ${r.minExclusive ? '>' : '>='} ${r.min}`;
  if (r.max !== undefined) return `${kind} ${r.maxExclusive ? '<' : '<='} ${r.max}`;
  return kind;
}

function inRange(value: number, r: NumberRule): boolean {
  return (
    Number.isFinite(value) &&
    (r.min === undefined || (r.minExclusive ? value > r.min : value >= r.min)) &&
    (r.max === undefined || (r.maxExclusive ? value < r.max : value <= r.max)) &&
    (!r.integer || Number.isInteger(value))
  );
}

/**
 * `value` if it is a finite number within `rule` (`rule.fallback` when undefined); otherwise
 * a ConfigError: `sgd: momentum must be a finite number in [0, 1], received 1.5; pass a
 * number, e.g. momentum: 0`.
 */
export function checkNumber(
  value: unknown,
  where: string,
  arg: string,
  rule: NumberRule = {},
): number {
  if (value === undefined && rule.fallback !== undefined) return rule.fallback;
  if (typeof value === 'number' && inRange(value, rule)) return value;
  const example =
    rule.example ?? (rule.fallback === undefined ? undefined : `${arg}: ${rule.fallback}`);
  const fix = example === undefined ? undefined : `pass a number, e.g. ${example}`;
  throw mustBe(where, arg, rangeText(rule), describeTyped(value), fix);
}

/** As checkNumber, but an option left out (undefined) stays undefined. */
export function checkOptionalNumber(
  value: unknown,
  where: string,
  arg: string,
  rule: NumberRule = {},
): number | undefined {
  return value === undefined ? undefined : checkNumber(value, where, arg, rule);
}

/** `value` if it is true or false (`fallback` when undefined and given); else a ConfigError. */
export function checkBoolean(
  value: unknown,
  where: string,
  arg: string,
  fallback?: boolean,
): boolean {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw mustBe(where, arg, 'true or false', describe(value));
}

/**
 * `value` if it is a non-empty string (`fallback` when undefined and given); else a
 * ConfigError, ending in `e.g. ${example}` when an example is given.
 */
export function checkString(
  value: unknown,
  where: string,
  arg: string,
  options: { fallback?: string; example?: string } = {},
): string {
  if (value === undefined && options.fallback !== undefined) return options.fallback;
  if (typeof value === 'string' && value !== '') return value;
  const fix = options.example === undefined ? undefined : `e.g. ${options.example}`;
  throw mustBe(where, arg, 'a non-empty string', describe(value), fix);
}

/** A `name` option (of a loss, a metric, a layer): a non-empty string, or `fallback` if left out. */
export function checkName(value: unknown, where: string, fallback: string): string {
  return checkString(value, where, 'name', { fallback });
}

/**
 * `value` if it is one of `allowed` (`fallback` when undefined and given); else a
 * ConfigError: `earlyStopping: mode must be 'auto', 'min' or 'max', received "maximum".`
 */
export function checkOneOf<T extends string>(
  value: unknown,
  where: string,
  arg: string,
  allowed: readonly T[],
  options: { fallback?: T; example?: string } = {},
): T {
  if (value === undefined && options.fallback !== undefined) return options.fallback;
  if (allowed.includes(value as T)) return value as T;
  const quoted = allowed.map((a) => `'${a}'`);
  const list =
    quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)!}` : quoted.join('');
  const fix = options.example === undefined ? undefined : `e.g. ${options.example}`;
  throw mustBe(where, arg, list, describe(value), fix);
}
