// The optimizer contract: the base class, and getOptimizer (which needs every subclass, so it
// lives in registry.ts; importing it from here is safe because the subclasses import base.ts).
export { Optimizer, Slots, type GradientsInput, type OptimizerOptions } from './base.js';
export { getOptimizer, optimizerRegistry } from './registry.js';
