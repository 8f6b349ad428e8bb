import { ConfigError, describe } from './errors.js';

/**
 * What every serializable object (regularizer, initializer, constraint, activation, loss,
 * optimizer, schedule, layer) shares: `getConfig()` returns plain JSON, the class declares
 * `static readonly className` (minifiers mangle constructor.name) and
 * `static fromConfig(config)`. Each family keeps one Registry of its classes; io/ turns the
 * in-memory form `{ className, config }` into Keras's and TensorFlow.js's written forms.
 */

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type ConfigDict = { [key: string]: JsonValue };

export interface Serializable {
  getConfig(): ConfigDict;
}

/** The in-memory serialized form of an object. */
export interface SerializedObject {
  className: string;
  config: ConfigDict;
}

/** The static side of a serializable class. */
export interface SerializableClass<T> {
  readonly className: string;
  fromConfig(config: ConfigDict): T;
}

export function isSerializedObject(value: unknown): value is SerializedObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SerializedObject).className === 'string' &&
    typeof (value as SerializedObject).config === 'object'
  );
}

/** The classes of one family (regularizers, layers, ...), by className and aliases. */
export class Registry<T extends Serializable> {
  readonly #classes = new Map<string, SerializableClass<T>>();
  readonly kind: string;

  /** `kind` names the family in messages ("regularizer", "layer"). */
  constructor(kind: string) {
    this.kind = kind;
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
    const cls = obj.constructor as unknown as SerializableClass<T>;
    return { className: cls.className, config: obj.getConfig() };
  }

  deserialize(value: SerializedObject): T {
    return this.get(value.className).fromConfig(value.config);
  }
}

/**
 * A config with its null entries removed, ready to pass as constructor options (getConfig
 * writes null for an unset regularizer or constraint; options use undefined).
 */
export function withoutNulls<T extends Record<string, unknown>>(config: T): T {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null)) as T;
}
