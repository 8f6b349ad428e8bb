// sn.regularizers: penalties on weights and activations (docs/semantics.md section 2).
export { Regularizer, type RegularizerFunction, type RegularizerReduction } from './regularizer.js';
export { L1, L1L2, L2, type L1Options, type L1L2Options, type L2Options } from './l1l2.js';
export {
  OrthogonalRegularizer,
  type OrthogonalOptions,
  type OrthogonalMode,
} from './orthogonal.js';
export { KLSparsity, type KLSparsityOptions } from './kl-sparsity.js';
export { FunctionRegularizer } from './function.js';
export { klSparsity, l1, l1l2, l2, orthogonal } from './factories.js';
export {
  getRegularizer,
  regularizerNames,
  regularizerRegistry,
  type KerasSerializedObject,
  type RegularizerIdentifier,
  type RegularizerName,
} from './get.js';
