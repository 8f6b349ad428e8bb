import { activationRegistry } from '../activations/index.js';
import { constraintRegistry } from '../constraints/index.js';
import { ConfigError, describe } from '../errors.js';
import { initializerRegistry } from '../initializers/index.js';
import { layerRegistry } from '../layers/index.js';
import { lossRegistry } from '../losses/index.js';
import { optimizerRegistry } from '../optimizers/get.js';
import { regularizerRegistry } from '../regularizers/index.js';
import {
  isInstance,
  type Registry,
  type Serializable,
  type SerializableClass,
} from '../serialization.js';

/**
 * `sn.serialization.registerClass(cls)`: makes a custom class loadable by its static
 * className. The class goes to its family's registry, found from its base class (a Layer
 * subclass to the layer registry, a Regularizer subclass to the regularizer registry, ...).
 * A named plain function (a custom regularizer `(x) => scalar` or loss `(yTrue, yPred) =>
 * losses`) is registered by its name. Loading looks names up here and in the `customObjects`
 * passed to load; it never evaluates code from a file.
 */

export type Family =
  'layer' | 'regularizer' | 'initializer' | 'constraint' | 'activation' | 'loss' | 'optimizer';

/** Each family's registry; a class belongs to the family whose base class it extends. */
const FAMILIES: [Family, Registry<Serializable>][] = [
  ['layer', layerRegistry],
  ['regularizer', regularizerRegistry],
  ['initializer', initializerRegistry],
  ['constraint', constraintRegistry],
  ['activation', activationRegistry],
  ['loss', lossRegistry],
  ['optimizer', optimizerRegistry],
];

/** Named custom functions (regularizers and losses), by name. */
const functions = new Map<string, (...args: never[]) => unknown>();

/** Objects given to load: class names or function names → classes or functions. */
export type CustomObjects = Readonly<Record<string, unknown>>;

function familyOf(cls: unknown): [Family, Registry<Serializable>] | undefined {
  if (typeof cls !== 'function') return undefined;
  for (const [family, registry] of FAMILIES) {
    if (isInstance(registry.base, cls.prototype)) return [family, registry];
  }
  return undefined;
}

function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * Registers a custom class (a subclass of Layer, Regularizer, Initializer, Constraint,
 * Activation, Loss or Optimizer with `static readonly className` and `static fromConfig`),
 * or a named function used as a regularizer or loss. Returns its argument.
 */
export function registerClass<T>(cls: T): T {
  const found = familyOf(cls);
  if (found) {
    const c = cls as SerializableClass<Serializable> & { name: string };
    if (!Object.hasOwn(c, 'className') || typeof c.className !== 'string' || c.className === '') {
      throw new ConfigError(
        `registerClass: class ${c.name} must declare its own static readonly className ` +
          `(e.g. static readonly className = '${c.name}'), because minifiers rename classes.`,
      );
    }
    if (typeof c.fromConfig !== 'function') {
      throw new ConfigError(
        `registerClass: class ${c.name} needs a static fromConfig(config) that rebuilds it from getConfig().`,
      );
    }
    found[1].register(c);
    return cls;
  }
  if (typeof cls === 'function' && !isClass(cls)) {
    if (!cls.name) {
      throw new ConfigError(
        'registerClass: a function must have a name to be saved and loaded by it; write ' +
          '`function myPenalty(x) { ... }` rather than an anonymous arrow function.',
      );
    }
    functions.set(cls.name, cls as (...args: never[]) => unknown);
    return cls;
  }
  throw new ConfigError(
    `registerClass expects a subclass of Layer, Regularizer, Initializer, Constraint, Activation, ` +
      `Loss or Optimizer (with static className and fromConfig), or a named function; received ${describe(cls)}.`,
  );
}

/** The registry of a family (for lookups and messages). */
export function registryOf(family: Family): Registry<Serializable> {
  return FAMILIES.find(([f]) => f === family)![1];
}

/**
 * The class registered (or given in customObjects) under `className` for a family, or
 * undefined. customObjects win over the registries.
 */
export function lookupClass(
  family: Family,
  className: string,
  customObjects: CustomObjects = {},
): SerializableClass<Serializable> | undefined {
  const custom = Object.hasOwn(customObjects, className) ? customObjects[className] : undefined;
  if (custom !== undefined) {
    const found = familyOf(custom);
    if (found && found[0] === family) return custom as SerializableClass<Serializable>;
  }
  const registry = registryOf(family);
  return registry.has(className) ? registry.get(className) : undefined;
}

/** A named custom function from customObjects or the registered ones. */
export function lookupFunction(
  name: string,
  customObjects: CustomObjects = {},
): ((...args: never[]) => unknown) | undefined {
  const custom = Object.hasOwn(customObjects, name) ? customObjects[name] : undefined;
  if (typeof custom === 'function' && !isClass(custom)) {
    return custom as (...args: never[]) => unknown;
  }
  return functions.get(name);
}

/** Whether a function was registered under its name (saving needs only the name). */
export function registeredFunctionNames(): string[] {
  return [...functions.keys()].sort();
}
