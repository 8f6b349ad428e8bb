// SerializationError lives with the other error classes; io/ re-exports it for convenience.
export { SerializationError } from '../errors.js';
