// Every op, once. Each family lives in its own file; methods.ts adds them to Tensor.
import './methods.js';

export * from './binary.js';
export * from './cast.js';
export * from './indexing.js';
export * from './matmul.js';
export * from './reductions.js';
export * from './shape.js';
export * from './softmax.js';
export * from './unary.js';

// Convolution ops
export * from './conv.js';

// Pooling ops
export * from './pooling.js';
