// The sinew WebAssembly kernels (AssemblyScript). Compiled by scripts/build-wasm.mjs into
// dist/wasm/ in two variants: relaxed SIMD (fused multiply-add) and plain SIMD. Every kernel
// works on raw byte offsets into the imported memory, which the TypeScript side manages.
export { sgemm, sgemmScratchBytes } from './matmul';
export { binaryRow, binaryCol, unary } from './elementwise';
export { reduce } from './reduce';
export { adamUpdate } from './optimizer';
export { denseForward, denseGradColumns } from './dense';
export { softmax } from './softmax';
export { binaryStrided } from './broadcast';
export { conv2dForward, conv2dFilter, conv2dInput, convScratchBytes } from './conv';
export { pool2d, pool2dGrad } from './pool';
export { depthwiseFilter, depthwiseForward, depthwiseInput } from './depthwise';
export { lstmGates, lstmGatesGrad } from './lstm';
export { gruGates, gruGatesGrad } from './gru';
