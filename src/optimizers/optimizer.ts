import { noGrad } from '../autograd/tape.js';
import { ConfigError, DTypeError, NotImplementedError, ShapeError, describe } from '../errors.js';
import { cast, clip, div, maximum, mul, sqrt, square, sub, sum } from '../ops/index.js';
import {
  fromConfigDefault,
  withoutNulls,
  type ConfigDict,
  type Serializable,
} from '../serialization.js';
import { scalar, zerosLike } from '../tensor/creation.js';
import { releaseStale, withScope } from '../tensor/scope.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import {
  checkNumber,
  checkOptionKeys,
  checkOptionalNumber,
  type OptionKeySet,
} from '../validation.js';
import { deserializeLearningRate } from './schedules/get.js';
import {
  checkLearningRate,
  learningRateAt,
  serializeLearningRate,
  type LearningRate,
  type LearningRateSchedule,
} from './schedules/schedule.js';

/** Options every optimizer takes (Keras 3's base optimizer arguments, camelCase). */
export interface OptimizerOptions {
  /** A finite number >= 0 (0 leaves the weights as they are), or a schedule evaluated at each step. */
  learningRate?: number | LearningRateSchedule;
  /**
   * Decoupled weight decay (docs/semantics.md rule 15): before the gradient step each variable is
   * shrunk by `w ← w − lr·weightDecay·w`. Not the same as an l2 regularizer, whose gradient
   * an adaptive optimizer rescales. Default: none (AdamW: 0.004).
   */
  weightDecay?: number;
  /**
   * Variables that weightDecay leaves alone: Variable objects, or strings matched as plain
   * substrings of the variable's name (`['bias']` excludes every bias). Keras reads the
   * strings as regular expressions; plain names behave the same. Only the strings are saved
   * in getConfig.
   */
  excludeFromWeightDecay?: readonly (Variable | string)[];
  /** Scale each gradient so that its own L2 norm is at most this (> 0). */
  clipnorm?: number;
  /** Clip each gradient element to [−clipvalue, clipvalue] (> 0). */
  clipvalue?: number;
  /** Scale all gradients together so that their joint L2 norm is at most this (> 0). */
  globalClipnorm?: number;
}

/** The keys of OptimizerOptions, spread into every optimizer's key list (src/validation.ts). */
export const OPTIMIZER_OPTION_KEY_SET: OptionKeySet<OptimizerOptions> = {
  learningRate: true,
  weightDecay: true,
  excludeFromWeightDecay: true,
  clipnorm: true,
  clipvalue: true,
  globalClipnorm: true,
};

/** Keras 3 config keys sinew reads but does not implement; each must hold its default. */
const KERAS_ONLY: Record<string, (v: unknown) => boolean> = {
  name: () => true,
  useEma: (v) => v === undefined || v === false,
  emaMomentum: () => true,
  emaOverwriteFrequency: (v) => v === undefined,
  lossScaleFactor: (v) => v === undefined,
  gradientAccumulationSteps: (v) => v === undefined,
};

/** A new tensor object sharing t's values (tensors are immutable: no copy needed). */
function view(t: Tensor): Tensor {
  return new Tensor(t.dataId, t.shape, t.dtype, t.store);
}

/** The optimizer state of one variable (m, v, ...), by slot name. */
export class Slots {
  readonly #tensors = new Map<string, Tensor>();

  get(name: string): Tensor {
    const t = this.#tensors.get(name);
    if (t === undefined) throw new Error(`internal: optimizer slot '${name}' was never created`);
    return t;
  }

  set(name: string, value: Tensor): void {
    this.#tensors.set(name, value);
  }

  entries(): IterableIterator<[string, Tensor]> {
    return this.#tensors.entries();
  }
}

/** A gradient for each variable: a Map (as valueAndGrads returns) or [variable, gradient] pairs. */
export type GradientsInput = Map<Variable, Tensor> | Iterable<readonly [Variable, Tensor]>;

/**
 * The base of every optimizer. One step (applyGradients), as Keras 3: clip the gradients
 * (clipnorm, clipvalue or globalClipnorm), apply decoupled weight decay, run the subclass's
 * update rule, then the variable's constraint. State (slots such as Adam's m and v) is created
 * lazily for each variable the first time it gets a gradient, keyed by the Variable object
 * and named after the variable for checkpoints ('dense/kernel/m').
 */
export abstract class Optimizer implements Serializable {
  /** The name used in error messages ('adam'). */
  protected readonly owner: string;
  readonly weightDecay: number | undefined;
  readonly clipnorm: number | undefined;
  readonly clipvalue: number | undefined;
  readonly globalClipnorm: number | undefined;
  #learningRate: LearningRate;
  readonly #defaultLearningRate: number;
  readonly #excludeVariables: ReadonlySet<Variable>;
  readonly #excludeNames: readonly string[];
  #iterations = 0;
  readonly #state = new Map<Variable, Slots>();
  /** Restored slots whose variable has not had a gradient yet, by full slot name. */
  readonly #pending = new Map<string, Tensor>();
  /** The slot tensors held at the end of the latest step (tensor/scope.ts releases replaced ones). */
  #lastSlots: Tensor[] = [];

  /**
   * Validates the common options and rejects unknown keys. `keys` are every key of the
   * subclass's options interface, made with optionKeys by spreading OPTIMIZER_OPTION_KEY_SET
   * (the subclass reads and validates its own options itself).
   */
  protected constructor(
    owner: string,
    options: OptimizerOptions | undefined,
    keys: readonly string[],
    defaultLearningRate: number,
  ) {
    this.owner = owner;
    const o = checkOptionKeys(
      options,
      owner,
      keys,
      `${owner}({ learningRate: ${defaultLearningRate} })`,
    );
    this.#defaultLearningRate = defaultLearningRate;
    this.#learningRate = checkLearningRate(
      owner,
      'learningRate',
      o.learningRate,
      defaultLearningRate,
      true, // 0 freezes the weights (as Keras, TF.js and PyTorch); < 0 is refused
    );
    const positive = { min: 0, minExclusive: true };
    this.weightDecay = checkOptionalNumber(o.weightDecay, owner, 'weightDecay', { min: 0 });
    this.clipnorm = checkOptionalNumber(o.clipnorm, owner, 'clipnorm', positive);
    this.clipvalue = checkOptionalNumber(o.clipvalue, owner, 'clipvalue', positive);
    this.globalClipnorm = checkOptionalNumber(o.globalClipnorm, owner, 'globalClipnorm', positive);
    const clips = {
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
    };
    const set = Object.entries(clips).filter(([, v]) => v !== undefined);
    if (set.length > 1) {
      throw new ConfigError(
        `${owner}: only one of clipnorm, clipvalue and globalClipnorm can be set, received ` +
          `${set.map(([k, v]) => `${k}: ${v}`).join(', ')}; keep one.`,
      );
    }
    const exclude = o.excludeFromWeightDecay ?? [];
    if (
      !Array.isArray(exclude) ||
      !exclude.every((e) => typeof e === 'string' || e instanceof Variable)
    ) {
      throw new ConfigError(
        `${owner}: excludeFromWeightDecay must be an array of variables or name substrings, ` +
          `received ${describe(exclude)}; e.g. excludeFromWeightDecay: ['bias'].`,
      );
    }
    this.#excludeVariables = new Set(exclude.filter((e): e is Variable => e instanceof Variable));
    this.#excludeNames = exclude.filter((e): e is string => typeof e === 'string');
  }

  /** A number or a schedule; settable (callbacks such as reduceLROnPlateau write it). */
  get learningRate(): LearningRate {
    return this.#learningRate;
  }
  set learningRate(value: LearningRate) {
    if (value === undefined) {
      throw new ConfigError(`${this.owner}: learningRate cannot be set to undefined.`);
    }
    this.#learningRate = checkLearningRate(
      this.owner,
      'learningRate',
      value,
      this.#defaultLearningRate,
      true, // 0 freezes the weights (as Keras, TF.js and PyTorch); < 0 is refused
    );
  }

  /** Steps applied so far. */
  get iterations(): number {
    return this.#iterations;
  }

  /** The learning rate for the current step (evaluates the schedule at `iterations`). */
  currentLearningRate(): number {
    const lr = learningRateAt(this.#learningRate, this.#iterations);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new ConfigError(
        `${this.owner}: the learning-rate schedule returned ${describe(lr)} at step ` +
          `${this.#iterations}; a schedule must return a finite number >= 0.`,
      );
    }
    return lr;
  }

  /**
   * One step: clip (clipnorm / clipvalue / globalClipnorm), decoupled weight decay, the update
   * rule, then `v.constraint` if set. An empty set of gradients does nothing (no step counted).
   */
  applyGradients(grads: GradientsInput): void {
    const pairs = this.#checkGradients(grads);
    if (pairs.length === 0) return;
    // Only the new values and slots leave a step: the rest is released at its end.
    withScope(
      `${this.owner}.applyGradients`,
      () => this.#step(pairs),
      () => {
        const slots = new Set(this.slotTensors());
        return (t) => slots.has(t);
      },
    );
    // The slots the previous step kept and this one replaced: only this optimizer held them.
    const now = this.slotTensors();
    const current = new Set(now);
    releaseStale(this.#lastSlots.filter((t) => !current.has(t)));
    this.#lastSlots = now;
  }

  #step(pairs: readonly [Variable, Tensor][]): void {
    noGrad(() => {
      const lr = this.currentLearningRate();
      const step = this.#iterations + 1;
      const clipped = this.#clip(pairs.map(([, g]) => g));
      this.prepareStep(step);
      pairs.forEach(([v], i) => {
        let g = clipped[i]!;
        if (g.dtype !== v.dtype) g = cast(g, v.dtype);
        let w: Tensor = v;
        if (this.weightDecay !== undefined && this.#decays(v)) {
          w = sub(w, mul(mul(w, this.weightDecay), lr));
        }
        v.assign(this.updateStep(w, g, this.#slotsFor(v), lr, step));
        if (v.constraint) v.assign(v.constraint.apply(v));
      });
      this.#iterations = step;
    });
  }

  /** Slot state for checkpoints: 'iterations', optimizer-wide slots, then 'var/slot' per variable. */
  getSlots(): { name: string; tensor: Tensor }[] {
    const out = [{ name: 'iterations', tensor: scalar(this.#iterations, 'int32') }];
    out.push(...this.globalSlots());
    const owners = new Map<string, Variable>();
    for (const [v, slots] of this.#state) {
      const previous = owners.get(v.name);
      if (previous !== undefined && previous !== v) {
        throw new ConfigError(
          `${this.owner}.getSlots: two different variables are both named '${v.name}', so their ` +
            'slots would get the same names; give variables unique names.',
        );
      }
      owners.set(v.name, v);
      for (const [slot, tensor] of slots.entries())
        out.push({ name: `${v.name}/${slot}`, tensor: view(tensor) });
    }
    for (const [name, tensor] of this.#pending) out.push({ name, tensor: view(tensor) });
    return out;
  }

  /**
   * Internal (a training step's scope): the slot tensors this optimizer holds. getSlots()
   * gives views of them instead (new tensors sharing the values), so a step may release an
   * old slot once the optimizer has replaced it while a view a caller kept stays readable.
   */
  slotTensors(): Tensor[] {
    const out: Tensor[] = [];
    for (const slots of this.#state.values()) for (const [, t] of slots.entries()) out.push(t);
    out.push(...this.#pending.values());
    return out;
  }

  /**
   * Restores slots written by getSlots. A slot whose variable this optimizer has not seen yet
   * is kept and adopted when that variable (matched by name) first gets a gradient.
   */
  setSlots(slots: readonly { name: string; tensor: Tensor }[]): void {
    const what = `${this.owner}.setSlots`;
    if (!Array.isArray(slots)) {
      throw new ConfigError(
        `${what}: expected an array of { name, tensor }, received ${describe(slots)}.`,
      );
    }
    const byName = new Map<string, Variable>();
    for (const v of this.#state.keys()) byName.set(v.name, v);
    for (const entry of slots) {
      const { name, tensor } = (entry ?? {}) as { name?: unknown; tensor?: unknown };
      if (typeof name !== 'string' || !(tensor instanceof Tensor)) {
        throw new ConfigError(
          `${what}: each slot must be { name: string, tensor: Tensor }, received ${describe(entry)}.`,
        );
      }
      if (name === 'iterations') {
        const n = tensor.size === 1 ? tensor.dataSync()[0] : NaN;
        this.#iterations = checkNumber(n, what, 'iterations', {
          min: 0,
          integer: true,
          fallback: 0,
        });
        continue;
      }
      if (this.setGlobalSlot(name, tensor)) continue;
      const cut = name.lastIndexOf('/');
      const slot = name.slice(cut + 1);
      if (cut <= 0 || !this.slotNames().includes(slot)) {
        throw new ConfigError(
          `${what}: unknown slot ${describe(name)}; this optimizer's slots are named ` +
            `'iterations'${this.globalSlots()
              .map((s) => `, '${s.name}'`)
              .join('')} and ` +
            `'<variable name>/<slot>' with <slot> one of: ${this.slotNames().join(', ') || '(none)'}.`,
        );
      }
      const v = byName.get(name.slice(0, cut));
      if (v === undefined) this.#pending.set(name, tensor);
      else this.#slotsFor(v).set(slot, checkSlot(what, name, tensor, v));
    }
  }

  /**
   * Forgets every per-variable slot and the step count, as before the first step; then
   * setSlots may restore an earlier state exactly (terminateOnNaN does, after a step that
   * wrote NaN into slots its snapshot does not hold).
   */
  resetSlots(): void {
    this.#state.clear();
    this.#pending.clear();
    this.#iterations = 0;
  }

  getConfig(): ConfigDict {
    const config: ConfigDict = {
      learningRate: serializeLearningRate(this.#learningRate),
      weightDecay: this.weightDecay ?? null,
      clipnorm: this.clipnorm ?? null,
      globalClipnorm: this.globalClipnorm ?? null,
      clipvalue: this.clipvalue ?? null,
    };
    if (this.#excludeNames.length > 0) config.excludeFromWeightDecay = [...this.#excludeNames];
    return config;
  }

  // --- for subclasses -------------------------------------------------------------------

  /** The names of the per-variable slots this optimizer keeps (tfjs's names where it has them). */
  protected abstract slotNames(): readonly string[];

  /** A slot's value before the first step (zeros unless overridden). */
  protected initialSlot(_slot: string, v: Variable): Tensor {
    return zerosLike(v);
  }

  /**
   * The update rule for one variable: returns the new value of `w` (already weight-decayed)
   * and writes the new slot values into `slots`. `step` counts from 1 (Keras's iterations + 1).
   */
  protected abstract updateStep(
    w: Tensor,
    g: Tensor,
    slots: Slots,
    lr: number,
    step: number,
  ): Tensor;

  /** Runs once per applyGradients, before any variable is updated (Nadam's u_product). */
  protected prepareStep(_step: number): void {}

  /** Optimizer-wide state that is not per variable (Nadam's u_product). */
  protected globalSlots(): { name: string; tensor: Tensor }[] {
    return [];
  }

  /** Restores one optimizer-wide slot; false if `name` is not one. */
  protected setGlobalSlot(_name: string, _tensor: Tensor): boolean {
    return false;
  }

  /**
   * Rebuilds an optimizer from getConfig()'s output or a Keras config (camelCase): the
   * options, without nulls, Keras-only options at their defaults, the learning rate's
   * schedule rebuilt (optionsFromConfig).
   */
  static fromConfig(config: ConfigDict): Optimizer {
    return fromConfigDefault(this, this.optionsFromConfig(config, nameOfClass(this)));
  }

  /** A config dict (from getConfig or a Keras file, camelCase) as constructor options. */
  protected static optionsFromConfig(config: ConfigDict, owner: string): Record<string, unknown> {
    const o: Record<string, unknown> = withoutNulls(config);
    for (const [key, isDefault] of Object.entries(KERAS_ONLY)) {
      if (!isDefault(o[key])) {
        throw new NotImplementedError(
          `${owner}.fromConfig: ${key} = ${describe(o[key])} is a Keras option sinew does not ` +
            `implement; remove it from the config (or set it to its default) to load the rest.`,
        );
      }
      delete o[key];
    }
    if (o.learningRate !== undefined) o.learningRate = deserializeLearningRate(o.learningRate);
    return o;
  }

  // --- internals ------------------------------------------------------------------------

  #checkGradients(grads: GradientsInput): [Variable, Tensor][] {
    const what = `${this.owner}.applyGradients`;
    if (grads === null || typeof grads !== 'object' || !(Symbol.iterator in grads)) {
      throw new ConfigError(
        `${what}: expected a Map from variable to gradient (as valueAndGrads returns) or ` +
          `[variable, gradient] pairs, received ${describe(grads)}.`,
      );
    }
    const pairs: [Variable, Tensor][] = [];
    const seen = new Set<Variable>();
    for (const pair of grads as Iterable<unknown>) {
      const [v, g] = Array.isArray(pair) ? (pair as unknown[]) : [pair, undefined];
      if (!(v instanceof Variable) || !(g instanceof Tensor)) {
        throw new ConfigError(
          `${what}: each entry must be [Variable, Tensor], received [${describe(v)}, ${describe(g)}].`,
        );
      }
      if (seen.has(v)) {
        throw new ConfigError(
          `${what}: variable '${v.name}' has two gradients; pass one per variable.`,
        );
      }
      seen.add(v);
      if (!shapesEqual(g.shape, v.shape)) {
        throw new ShapeError(
          `${what}: the gradient of variable '${v.name}' has shape ${formatShape(g.shape)}, the ` +
            `variable has shape ${formatShape(v.shape)}; pass the gradient of that variable.`,
        );
      }
      pairs.push([v, g]);
    }
    return pairs;
  }

  #clip(grads: Tensor[]): Tensor[] {
    if (this.clipnorm !== undefined) {
      const c = this.clipnorm;
      // Keras: g · c / max(‖g‖, c) (a zero gradient stays zero).
      return grads.map((g) => div(mul(g, c), maximum(sqrt(sum(square(g))), c)));
    }
    if (this.globalClipnorm !== undefined) {
      const c = this.globalClipnorm;
      const norm = Math.sqrt(grads.reduce((acc, g) => acc + sum(square(g)).item(), 0));
      // Keras: scale = c · min(1/‖g‖, 1/c); an infinite or NaN norm makes the scale NaN.
      const scale = c * Math.min(1 / norm, 1 / c) + (norm - norm);
      return grads.map((g) => mul(g, scale));
    }
    if (this.clipvalue !== undefined) {
      const c = this.clipvalue;
      return grads.map((g) => clip(g, { min: -c, max: c }));
    }
    return grads;
  }

  #decays(v: Variable): boolean {
    return !this.#excludeVariables.has(v) && !this.#excludeNames.some((s) => v.name.includes(s));
  }

  #slotsFor(v: Variable): Slots {
    let slots = this.#state.get(v);
    if (slots === undefined) {
      slots = new Slots();
      for (const name of this.slotNames()) {
        const full = `${v.name}/${name}`;
        const restored = this.#pending.get(full);
        this.#pending.delete(full);
        const what = `${this.owner}.setSlots`;
        slots.set(name, restored ? checkSlot(what, full, restored, v) : this.initialSlot(name, v));
      }
      this.#state.set(v, slots);
    }
    return slots;
  }
}

function checkSlot(what: string, name: string, t: Tensor, v: Variable): Tensor {
  if (!shapesEqual(t.shape, v.shape)) {
    throw new ShapeError(
      `${what}: slot '${name}' has shape ${formatShape(t.shape)} but variable '${v.name}' has ` +
        `shape ${formatShape(v.shape)}; the slots belong to a different model.`,
    );
  }
  if (t.dtype !== v.dtype) {
    throw new DTypeError(
      `${what}: slot '${name}' has dtype ${t.dtype} but variable '${v.name}' has dtype ${v.dtype}.`,
    );
  }
  return t;
}

/** A class's registered name (its static className), else its JavaScript name. */
function nameOfClass(cls: { readonly className?: string; readonly name: string }): string {
  return cls.className ?? cls.name;
}
