// sn.serialization: the registry machinery, and registerClass for custom classes (io/ routes
// a class to its family's registry by its base class).
export * from './serialization.js';
export { registerClass, type CustomObjects } from './io/registry.js';
