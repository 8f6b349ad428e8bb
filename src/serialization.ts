import { ConfigError, describe } from './errors.js';
import { pickOptions } from './validation.js';

/**
 * What every serializable object (regularizer, initializer, constraint, activation, loss,
 * optimizer, schedule, layer) shares: `getConfig()` returns plain JSON, the class declares
 * `static readonly className` (minifiers mangle constructor.name) and
 * `static fromConfig(config)` (each family's base class gives the default, fromConfigDefault;
 * a class whose config is not its options overrides it). Each family keeps one Registry of its
 * classes, whose `resolve` is every getX(id); io/ turns the in-memory form
 * `{ className, config }` into Keras's and TensorFlow.js's written forms.
 */

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type ConfigDict = { [key: string]: JsonValue };

export interface Serializable {
  getConfig(): ConfigDict;
}

/**
 * The in-memory serialized form of an object, `{ className, config }`. A type (not an
 * interface) so that it is a JsonValue as it stands: a layer's getConfig nests one without a cast.
 */
export type SerializedObject = { className: string; config: ConfigDict };

/** The same object in Keras's and TensorFlow.js's written form (snake_case `class_name`). */
export type KerasSerializedObject = {
  class_name: string;
  config?: ConfigDict;
  [key: string]: unknown;
};

/** The static side of a serializable class. */
export interface SerializableClass<T> {
  readonly className: string;
  fromConfig(config: ConfigDict): T;
}

/** A class of a family, by its prototype (a base class may be abstract, its constructor protected). */
export type FamilyClass<T> = { readonly prototype: T };

/** Whether `value` is an instance of `cls` (as `instanceof`, for any FamilyClass). */
export function isInstance<T>(cls: FamilyClass<T>, value: unknown): value is T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  return Object.prototype.isPrototypeOf.call(cls.prototype, value);
}

export function isSerializedObject(value: unknown): value is SerializedObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SerializedObject).className === 'string' &&
    typeof (value as SerializedObject).config === 'object'
  );
}

/** The registered name of an object's class (its static className), or undefined. */
export function classNameOf(obj: object): string | undefined {
  const cls: { readonly className?: unknown; readonly name: string } = obj.constructor;
  return typeof cls.className === 'string' ? cls.className : undefined;
}

/**
 * The default `fromConfig` of every family's base class (`static fromConfig(config)` calls it
 * with `this`): the config without its null entries (getConfig writes null for an unset
 * option; options use undefined), restricted to the class's own `optionKeys` when it declares
 * them (a config read from a file may carry keys sinew does not know; they are dropped with a
 * warning), passed to the constructor. A class whose options differ from its config overrides
 * fromConfig.
 */
export function fromConfigDefault<T>(
  cls: FamilyClass<T> & { readonly optionKeys?: readonly string[] },
  config: Readonly<Record<string, unknown>>,
): T {
  const keys = Object.hasOwn(cls, 'optionKeys') ? cls.optionKeys : undefined;
  const present = withoutNulls(config);
  const options = keys === undefined ? present : pickOptions(present, keys);
  return new (cls as new (options: Record<string, unknown>) => T)(options);
}

/** How a family's `getX(id)` resolves what a user passes (see Registry.resolve). */
export interface ResolveOptions<T> {
  /** The resolver, for messages: 'getRegularizer'. */
  owner: string;
  /** The names accepted as strings, each making a default instance (in message order). */
  byName?: Readonly<Record<string, () => T>>;
  /** Whether a registered class name ('MaxNorm') is accepted as a string too. */
  classNames?: boolean;
  /** Maps a string before the lookup (optimizers accept any letter case). */
  normalizeName?: (name: string) => string;
  /** A plain function → an instance (regularizers, losses, metrics); else functions are refused. */
  fromFunction?: (fn: (...args: never[]) => unknown) => T;
  /** The function form accepted, for messages: '(x) => scalar'. */
  functionForm?: string;
  /** Whether undefined and null are refused (else they resolve to undefined). */
  required?: boolean;
  /** The way out, ending every message: 'For other coefficients use a factory, e.g. ...'. */
  fix: string;
}

/** The classes of one family (regularizers, layers, ...), by className and aliases. */
export class Registry<T extends Serializable> {
  readonly #classes = new Map<string, SerializableClass<T>>();
  readonly kind: string;
  /** The family's base class: its instances resolve to themselves. */
  readonly base: FamilyClass<T>;

  /** `kind` names the family in messages ("regularizer", "layer"); `base` is its base class. */
  constructor(kind: string, base: FamilyClass<T>) {
    this.kind = kind;
    this.base = base;
  }

  /** Adds a class under its className (and any aliases); re-registering a name replaces it. */
  register(cls: SerializableClass<T>, ...aliases: string[]): void {
    for (const name of [cls.className, ...aliases]) this.#classes.set(name, cls);
  }

  has(className: string): boolean {
    return this.#classes.has(className);
  }

  /** Every registered class once (aliases collapse to their class). */
  classes(): SerializableClass<T>[] {
    return [...new Set(this.#classes.values())];
  }

  /** The registered names, sorted (for messages). */
  names(): string[] {
    return [...this.#classes.keys()].sort();
  }

  get(className: string): SerializableClass<T> {
    const cls = this.#classes.get(className);
    if (!cls) {
      throw new ConfigError(
        `Unknown ${this.kind} class ${describe(className)}; registered ${this.kind}s: ${this.names().join(', ')}. ` +
          'Register a custom class with sn.serialization.registerClass(...) before loading.',
      );
    }
    return cls;
  }

  serialize(obj: T): SerializedObject {
    const cls = obj.constructor as SerializableClass<T> & typeof obj.constructor;
    return { className: cls.className, config: obj.getConfig() };
  }

  /** serialize, with null for an unset option (a layer's getConfig writes it so). */
  toJson(obj: T | undefined): SerializedObject | null {
    return obj === undefined ? null : this.serialize(obj);
  }

  deserialize(value: SerializedObject): T {
    return this.get(value.className).fromConfig(value.config);
  }

  /**
   * What every family's `getX(id)` does: undefined/null → undefined (an error if
   * `required`); an instance of the base
   * class → itself; a plain function → `fromFunction(fn)` (a class is refused: pass an
   * instance); a name in `byName` (or a registered class name, with `classNames`) → a new
   * default instance; `{ className, config }` or Keras's `{ class_name, config }` → a new
   * instance from the config. Anything else is a ConfigError saying what was received, what
   * is accepted (the names listed) and `fix`.
   */
  resolve(id: unknown, options: ResolveOptions<T> & { required: true }): T;
  resolve(id: unknown, options: ResolveOptions<T>): T | undefined;
  resolve(id: unknown, options: ResolveOptions<T>): T | undefined {
    if ((id === undefined || id === null) && !options.required) return undefined;
    if (isInstance(this.base, id)) return id;
    const { owner, byName = {}, fix } = options;
    if (typeof id === 'function') {
      if (isInstance(this.base, id.prototype)) {
        throw new ConfigError(
          `${owner}: received the class ${id.name}, not an instance; pass new ${id.name}(...) ` +
            `instead. ${fix}`,
        );
      }
      if (options.fromFunction) return options.fromFunction(id as (...args: never[]) => unknown);
    }
    if (typeof id === 'string') {
      const name = options.normalizeName ? options.normalizeName(id) : id;
      const make = Object.hasOwn(byName, name) ? byName[name] : undefined;
      if (make) return make();
      if (options.classNames && this.has(id)) return this.get(id).fromConfig({});
      throw new ConfigError(
        `Unknown ${this.kind} ${describe(id)}; use one of ${this.#accepted(options)}. ${fix}`,
      );
    }
    if (typeof id === 'object' && id !== null) {
      const obj = id as { className?: unknown; class_name?: unknown; config?: unknown };
      const className = obj.className ?? obj.class_name;
      const config = obj.config ?? {};
      if (typeof className === 'string' && typeof config === 'object' && config !== null) {
        return this.deserialize({ className, config: config as ConfigDict });
      }
    }
    const fn = options.fromFunction ? `, a function ${options.functionForm ?? ''}`.trimEnd() : '';
    throw new ConfigError(
      `${owner}: expected a ${this.kind}${fn}, a name (${this.#accepted(options)}) or a config ` +
        `{ className, config }, received ${describe(id)}. ${fix}`,
    );
  }

  /** The accepted names, quoted: byName's, then (with classNames) the registered ones. */
  #accepted(options: ResolveOptions<T>): string {
    const names = Object.keys(options.byName ?? {});
    const quoted = (list: string[]): string => list.map((n) => `'${n}'`).join(', ');
    if (!options.classNames) return quoted(names);
    if (names.length === 0) return quoted(this.names());
    return `${quoted(names)} (or a class name: ${this.names().join(', ')})`;
  }
}

/**
 * A config with its null entries removed, ready to pass as constructor options (getConfig
 * writes null for an unset regularizer or constraint; options use undefined).
 */
export function withoutNulls<T extends Record<string, unknown>>(config: T): T {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null)) as T;
}
